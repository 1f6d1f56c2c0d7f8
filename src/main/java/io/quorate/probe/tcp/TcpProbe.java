package io.quorate.probe.tcp;

import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TcpCheck;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.mail.LineProbe;
import io.quorate.probe.mail.LineRun;
import io.quorate.probe.mail.PhaseLimit;
import io.quorate.probe.mail.ProbeFailure;
import io.vertx.core.Future;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * TCP probe: connect, optional implicit TLS, optional banner check, optional text to send.
 *
 * <p>The banner is the first bytes the server sends, up to the first line end or {@link
 * io.quorate.probe.mail.LineSession#MAX_LINE} bytes, decoded as ISO-8859-1: a binary greeting (a
 * MySQL handshake packet) can be matched as well as a text one (SSH, SMTP). Matching is {@code
 * find}, and succeeds as soon as the bytes received so far match.
 *
 * <p>Time limits: connect and the implicit TLS handshake may take all the time left, the banner 3/4
 * of {@code timeoutMs} (at least 1 s); see {@link PhaseLimit}.
 */
public final class TcpProbe extends LineProbe<TcpCheck> {
  public TcpProbe(ProbeContext ctx) {
    super(ctx, ProbeType.TCP, TcpCheck.class, TcpCheck::tls);
  }

  @Override
  protected Future<Void> dialog(LineRun run, TcpCheck check, Target target) {
    Future<Void> tls = check.tls() == null ? Future.succeededFuture() : run.implicitTls();
    return tls.compose(v -> banner(run, check.expectBanner()))
        .compose(v -> send(run, check.send()));
  }

  private static Future<Void> banner(LineRun run, String regex) {
    if (regex == null) {
      return Future.succeededFuture();
    }
    run.phase("banner", PhaseLimit.GREETING);
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return Future.failedFuture(
          ProbeFailure.down(
              ErrorKind.INTERNAL, "invalid expectBanner pattern: " + e.getDescription()));
    }
    return run.readGreeting(text -> p.matcher(text).find())
        .compose(
            text -> {
              run.fact("banner", text);
              return p.matcher(text).find()
                  ? Future.succeededFuture()
                  : Future.failedFuture(
                      ProbeFailure.down(
                          ErrorKind.ASSERTION,
                          "banner does not match /" + regex + "/: " + LineRun.clip(text)));
            });
  }

  private static Future<Void> send(LineRun run, String text) {
    if (text == null) {
      return Future.succeededFuture();
    }
    run.phase("send");
    return run.session().send(text);
  }
}
