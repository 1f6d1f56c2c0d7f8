package io.quorate.probe.mail;

import io.quorate.config.ProbeType;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SMTP probe (RFC 5321): greeting, EHLO, STARTTLS (RFC 3207) or implicit TLS (RFC 8314), EHLO
 * again, optional AUTH PLAIN (RFC 4954, RFC 4616), QUIT. A 4xx greeting (421 busy, 450/451
 * greylisting) is DEGRADED/BUSY, not DOWN: the server is there and asks to come back later.
 */
public final class SmtpProbe implements Probe {
  private final ProbeContext ctx;
  private final NetClient client;

  public SmtpProbe(ProbeContext ctx) {
    this.ctx = ctx;
    this.client = ctx.vertx().createNetClient(new NetClientOptions().setTcpNoDelay(true));
  }

  @Override
  public ProbeType type() {
    return ProbeType.SMTP;
  }

  @Override
  public Future<ProbeResult> run(Target target) {
    SmtpCheck check = target.check(SmtpCheck.class);
    return LineRun.onEventLoop(
        ctx.vertx(),
        () -> {
          LineRun run = new LineRun(ctx, target, check.tls());
          return run.finish(run.connect(client).compose(s -> new Dialog(run, check, target).run()));
        });
  }

  /** One SMTP conversation. */
  private static final class Dialog {
    private final LineRun run;
    private final SmtpCheck check;
    private final TlsMode mode;
    private final String ehloName;

    Dialog(LineRun run, SmtpCheck check, Target target) {
      this.run = run;
      this.check = check;
      this.mode = check.tlsMode() == null ? TlsMode.defaultFor(target.port()) : check.tlsMode();
      this.ehloName = check.ehloName() == null ? SmtpCheck.DEFAULT_EHLO_NAME : check.ehloName();
    }

    Future<Void> run() {
      Future<Void> tls = mode == TlsMode.IMPLICIT ? run.implicitTls() : Future.succeededFuture();
      return tls.compose(v -> greeting())
          .compose(v -> ehlo())
          .compose(this::maybeStartTls)
          .compose(this::auth)
          .compose(v -> quit());
    }

    private Future<Void> greeting() {
      run.phase("greeting");
      return reply()
          .compose(
              r -> {
                run.fact("banner", r.get(0));
                int code = SmtpReplies.code(r);
                if (code == 220) {
                  return Future.succeededFuture();
                }
                // RFC 5321 §3.1 and §4.2.5: 421/450/451 mean "try later", 554 means "no service
                // here"
                return Future.failedFuture(
                    code / 100 == 4
                        ? ProbeFailure.busy("server deferred: " + SmtpReplies.summary(r))
                        : ProbeFailure.protocol("unexpected greeting: " + SmtpReplies.summary(r)));
              });
    }

    private Future<Set<String>> ehlo() {
      run.phase("EHLO");
      return command("EHLO " + ehloName)
          .compose(
              r -> {
                if (SmtpReplies.code(r) != 250) {
                  return Future.failedFuture(
                      SmtpReplies.code(r) / 100 == 4
                          ? ProbeFailure.busy("EHLO deferred: " + SmtpReplies.summary(r))
                          : ProbeFailure.protocol("EHLO rejected: " + SmtpReplies.summary(r)));
                }
                Set<String> ext = extensions(r);
                run.fact("extensions", String.join(" ", ext));
                return Future.succeededFuture(ext);
              });
    }

    private Future<Set<String>> maybeStartTls(Set<String> ext) {
      if (mode == TlsMode.NONE || mode == TlsMode.IMPLICIT) {
        return Future.succeededFuture(ext);
      }
      if (!ext.contains("STARTTLS")) {
        if (mode == TlsMode.STARTTLS) {
          return Future.failedFuture(ProbeFailure.protocol("STARTTLS not offered"));
        }
        run.fact("starttls", "not offered");
        return Future.succeededFuture(ext);
      }
      run.phase("STARTTLS");
      return command("STARTTLS")
          .compose(
              r -> {
                if (SmtpReplies.code(r) == 220) {
                  run.fact("starttls", "ok");
                  return run.startTls().compose(v -> ehlo());
                }
                if (mode == TlsMode.STARTTLS) {
                  return Future.failedFuture(
                      ProbeFailure.down(
                          ErrorKind.TLS, "STARTTLS refused: " + SmtpReplies.summary(r)));
                }
                run.fact("starttls", "refused: " + SmtpReplies.summary(r));
                return Future.succeededFuture(ext);
              });
    }

    private Future<Void> auth(Set<String> ext) {
      boolean offered = ext.stream().anyMatch(e -> e.equals("AUTH") || e.startsWith("AUTH "));
      if (check.requireAuth() && !offered) {
        run.phase("EHLO");
        return Future.failedFuture(ProbeFailure.down(ErrorKind.ASSERTION, "AUTH not offered"));
      }
      if (check.login() == null) {
        return Future.succeededFuture();
      }
      run.phase("AUTH");
      if (!offered) {
        return Future.failedFuture(ProbeFailure.down(ErrorKind.AUTH, "AUTH not offered"));
      }
      // RFC 4616: authzid NUL authcid NUL passwd
      String plain = "\0" + check.login().username() + "\0" + check.login().password().reveal();
      String b64 = Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
      return run.requireTlsForCredentials(mode == TlsMode.NONE)
          .compose(v -> command("AUTH PLAIN " + b64))
          .compose(
              r ->
                  SmtpReplies.code(r) == 235
                      ? Future.succeededFuture()
                      : Future.failedFuture(
                          ProbeFailure.down(
                              ErrorKind.AUTH, "authentication failed: " + SmtpReplies.summary(r))));
    }

    /** Polite QUIT (RFC 5321 §4.1.1.10); its answer does not change the verdict. */
    private Future<Void> quit() {
      run.phase("QUIT");
      return command("QUIT").<Void>mapEmpty().otherwiseEmpty();
    }

    private Future<List<String>> command(String line) {
      return run.session().send(line + "\r\n").compose(v -> reply());
    }

    private Future<List<String>> reply() {
      return run.session().readReply(run.remainingMs());
    }

    /** EHLO keywords (RFC 5321 §4.1.1.1), upper-cased, with their parameters. */
    private static Set<String> extensions(List<String> reply) {
      Set<String> out = new LinkedHashSet<>();
      for (String line : reply.subList(1, reply.size())) {
        out.add(line.substring(4).trim().toUpperCase(Locale.ROOT));
      }
      return out;
    }
  }
}
