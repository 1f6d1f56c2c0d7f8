package io.quorate.probe.mail;

import io.quorate.config.ProbeType;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeContext;
import io.vertx.core.Future;
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
public final class SmtpProbe extends LineProbe<SmtpCheck> {
  public SmtpProbe(ProbeContext ctx) {
    super(ctx, ProbeType.SMTP, SmtpCheck.class, SmtpCheck::tls);
  }

  @Override
  protected Future<Void> dialog(LineRun run, SmtpCheck check, Target target) {
    return new Dialog(run, check, target).run();
  }

  /** One SMTP conversation. */
  private static final class Dialog extends MailDialog<List<String>> {
    private final SmtpCheck check;
    private final String ehloName;

    Dialog(LineRun run, SmtpCheck check, Target target) {
      super(run, check.tlsMode(), target, "STARTTLS", "QUIT");
      this.check = check;
      this.ehloName = check.ehloName() == null ? SmtpCheck.DEFAULT_EHLO_NAME : check.ehloName();
    }

    @Override
    Future<Void> greeting() {
      run.phase("greeting", PhaseLimit.GREETING);
      return reply()
          .compose(
              r -> {
                run.fact("banner", r.get(0));
                int code = SmtpReplies.code(r);
                if (code == 220) {
                  return Future.succeededFuture();
                }
                // RFC 5321 §3.1, §4.2.5: 421/450/451 mean "try later", 554 "no service here"
                return Future.failedFuture(
                    code / 100 == 4
                        ? ProbeFailure.busy("server deferred: " + SmtpReplies.summary(r))
                        : ProbeFailure.protocol("unexpected greeting: " + SmtpReplies.summary(r)));
              });
    }

    /** EHLO (RFC 5321 §4.1.1.1): the extensions are the capabilities. */
    @Override
    Future<Set<String>> capabilities() {
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

    @Override
    String refusal(List<String> reply) {
      return SmtpReplies.code(reply) == 220 ? null : SmtpReplies.summary(reply);
    }

    /** AUTH PLAIN (RFC 4954, RFC 4616), after checking that AUTH is offered where required. */
    @Override
    Future<Void> login(Set<String> ext) {
      boolean offered = ext.stream().anyMatch(e -> e.equals("AUTH") || e.startsWith("AUTH "));
      if (check.requireAuth() && !offered) {
        run.phase("EHLO");
        return Future.failedFuture(ProbeFailure.down(ErrorKind.ASSERTION, "AUTH not offered"));
      }
      if (check.login() == null) {
        return Future.succeededFuture();
      }
      run.phase("AUTH", PhaseLimit.LOGIN);
      if (!offered) {
        return Future.failedFuture(ProbeFailure.down(ErrorKind.AUTH, "AUTH not offered"));
      }
      // RFC 4616: authzid NUL authcid NUL passwd
      String plain = "\0" + check.login().username() + "\0" + check.login().password().reveal();
      String b64 = Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
      return credentialsAllowed()
          .compose(v -> command("AUTH PLAIN " + b64))
          .compose(
              r ->
                  SmtpReplies.code(r) == 235
                      ? Future.succeededFuture()
                      : Future.failedFuture(
                          ProbeFailure.down(
                              ErrorKind.AUTH, "authentication failed: " + SmtpReplies.summary(r))));
    }

    @Override
    Future<List<String>> command(String line) {
      return run.session().send(line + "\r\n").compose(v -> reply());
    }

    private Future<List<String>> reply() {
      return run.readReply();
    }

    /**
     * EHLO keywords (RFC 5321 §4.1.1.1), upper-cased, with their parameters. The first line is the
     * server's name; a line that is a bare code or blank names no keyword and is skipped.
     */
    private static Set<String> extensions(List<String> reply) {
      Set<String> out = new LinkedHashSet<>();
      for (String line : reply.subList(1, reply.size())) {
        String keyword = SmtpReplies.text(line).trim().toUpperCase(Locale.ROOT);
        if (!keyword.isEmpty()) {
          out.add(keyword);
        }
      }
      return out;
    }
  }
}
