package io.quorate.probe.mail;

import io.quorate.config.Pop3Check;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeContext;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * POP3 probe (RFC 1939): {@code +OK} greeting, CAPA (RFC 2449), STLS (RFC 2595) or implicit TLS
 * (RFC 8314), optional USER/PASS and STAT, QUIT.
 */
public final class Pop3Probe extends LineProbe<Pop3Check> {
  /** Most lines of a CAPA answer. */
  static final int MAX_CAPA_LINES = 100;

  public Pop3Probe(ProbeContext ctx) {
    super(ctx, ProbeType.POP3, Pop3Check.class, Pop3Check::tls);
  }

  @Override
  protected Future<Void> dialog(LineRun run, Pop3Check check, Target target) {
    return new Dialog(run, check, target).run();
  }

  /** One POP3 conversation. */
  private static final class Dialog extends MailDialog<String> {
    private final Pop3Check check;

    Dialog(LineRun run, Pop3Check check, Target target) {
      super(run, check.tlsMode(), target, "STLS", "QUIT");
      this.check = check;
    }

    @Override
    Future<Void> greeting() {
      run.phase("greeting", PhaseLimit.GREETING);
      return readLine()
          .compose(
              line -> {
                run.fact("banner", line);
                if (line.startsWith("+OK")) {
                  return Future.succeededFuture();
                }
                // not in RFC 1939, but servers at their connection limit greet with -ERR and close
                return badGreeting(line.startsWith("-ERR"), line);
              });
    }

    /** CAPA (RFC 2449 §5): -ERR means no capabilities, +OK is followed by lines up to ".". */
    @Override
    Future<Set<String>> capabilities() {
      run.phase("CAPA");
      return command("CAPA")
          .compose(
              first -> {
                Set<String> caps = new LinkedHashSet<>();
                if (first.startsWith("-ERR")) {
                  return Future.succeededFuture(caps);
                }
                return ok(first, "CAPA").compose(v -> capaLines(caps));
              });
    }

    private Future<Set<String>> capaLines(Set<String> caps) {
      return readLine()
          .compose(
              line -> {
                if (line.equals(".")) {
                  run.fact("capabilities", String.join(" ", caps));
                  return Future.succeededFuture(caps);
                }
                if (caps.size() >= MAX_CAPA_LINES) {
                  return Future.failedFuture(
                      ProbeFailure.protocol("CAPA longer than " + MAX_CAPA_LINES + " lines"));
                }
                String unstuffed = line.startsWith("..") ? line.substring(1) : line; // RFC 1939 §3
                caps.add(unstuffed.trim().toUpperCase(Locale.ROOT));
                return capaLines(caps);
              });
    }

    @Override
    String refusal(String line) {
      return line.startsWith("+OK") ? null : LineRun.clip(line);
    }

    /** USER/PASS (RFC 1939 §7), then STAT to prove the maildrop opens. */
    @Override
    Future<Void> login(Set<String> caps) {
      if (check.login() == null) {
        return Future.succeededFuture();
      }
      run.phase("USER", PhaseLimit.LOGIN);
      String user = check.login().username();
      String pass = check.login().password().reveal();
      if (!Quoting.isLineSafe(user) || !Quoting.isLineSafe(pass)) {
        return Future.failedFuture(
            ProbeFailure.down(ErrorKind.AUTH, "username or password contains CR, LF or NUL"));
      }
      return credentialsAllowed()
          .compose(v -> command("USER " + user))
          .compose(line -> authOk(line, "USER rejected: "))
          .compose(
              v -> {
                run.phase("PASS", PhaseLimit.LOGIN);
                return command("PASS " + pass);
              })
          .compose(line -> authOk(line, "login rejected: "))
          .compose(
              v -> {
                run.phase("STAT", PhaseLimit.LOGIN);
                return command("STAT");
              })
          .compose(line -> ok(line, "STAT"));
    }

    private Future<Void> authOk(String line, String what) {
      return line.startsWith("+OK")
          ? Future.succeededFuture()
          : Future.failedFuture(ProbeFailure.down(ErrorKind.AUTH, what + LineRun.clip(line)));
    }

    private Future<Void> ok(String line, String what) {
      if (line.startsWith("+OK")) {
        return Future.succeededFuture();
      }
      ErrorKind kind = line.startsWith("-ERR") ? ErrorKind.ASSERTION : ErrorKind.PROTOCOL;
      return Future.failedFuture(ProbeFailure.down(kind, what + " failed: " + LineRun.clip(line)));
    }

    @Override
    Future<String> command(String line) {
      return run.session().send(line + "\r\n").compose(v -> readLine());
    }
  }
}
