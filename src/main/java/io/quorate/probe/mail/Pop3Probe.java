package io.quorate.probe.mail;

import io.quorate.config.Pop3Check;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * POP3 probe (RFC 1939): {@code +OK} greeting, CAPA (RFC 2449), STLS (RFC 2595) or implicit TLS
 * (RFC 8314), optional USER/PASS and STAT, QUIT.
 */
public final class Pop3Probe implements Probe {
  /** Most lines of a CAPA answer. */
  static final int MAX_CAPA_LINES = 100;

  private final ProbeContext ctx;
  private final NetClient client;

  public Pop3Probe(ProbeContext ctx) {
    this.ctx = ctx;
    this.client = ctx.vertx().createNetClient(new NetClientOptions().setTcpNoDelay(true));
  }

  @Override
  public ProbeType type() {
    return ProbeType.POP3;
  }

  @Override
  public Future<ProbeResult> run(Target target) {
    Pop3Check check = target.check(Pop3Check.class);
    return LineRun.onEventLoop(
        ctx.vertx(),
        () -> {
          LineRun run = new LineRun(ctx, target, check.tls());
          return run.finish(run.connect(client).compose(s -> new Dialog(run, check, target).run()));
        });
  }

  /** One POP3 conversation. */
  private static final class Dialog {
    private final LineRun run;
    private final Pop3Check check;
    private final TlsMode mode;

    Dialog(LineRun run, Pop3Check check, Target target) {
      this.run = run;
      this.check = check;
      this.mode = check.tlsMode() == null ? TlsMode.defaultFor(target.port()) : check.tlsMode();
    }

    Future<Void> run() {
      Future<Void> tls = mode == TlsMode.IMPLICIT ? run.implicitTls() : Future.succeededFuture();
      return tls.compose(v -> greeting())
          .compose(v -> capa())
          .compose(this::maybeStls)
          .compose(v -> login())
          .compose(v -> quit());
    }

    private Future<Void> greeting() {
      run.phase("greeting");
      return run.session()
          .readLine(run.remainingMs())
          .compose(
              line -> {
                run.fact("banner", line);
                if (line.startsWith("+OK")) {
                  return Future.succeededFuture();
                }
                // not in RFC 1939, but servers at their connection limit greet with -ERR and close
                return Future.failedFuture(
                    line.startsWith("-ERR")
                        ? ProbeFailure.busy("server refused the session: " + LineRun.clip(line))
                        : ProbeFailure.protocol("unexpected greeting: " + LineRun.clip(line)));
              });
    }

    /** CAPA (RFC 2449 §5): -ERR means no capabilities, +OK is followed by lines up to ".". */
    private Future<Set<String>> capa() {
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
      return run.session()
          .readLine(run.remainingMs())
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

    private Future<Void> maybeStls(Set<String> caps) {
      if (mode == TlsMode.NONE || mode == TlsMode.IMPLICIT) {
        return Future.succeededFuture();
      }
      if (!caps.contains("STLS")) {
        if (mode == TlsMode.STARTTLS) {
          return Future.failedFuture(ProbeFailure.protocol("STLS not offered"));
        }
        run.fact("starttls", "not offered");
        return Future.succeededFuture();
      }
      run.phase("STLS");
      return command("STLS")
          .compose(
              line -> {
                if (line.startsWith("+OK")) {
                  run.fact("starttls", "ok");
                  return run.startTls().compose(v -> capa()).mapEmpty();
                }
                if (mode == TlsMode.STARTTLS) {
                  return Future.failedFuture(
                      ProbeFailure.down(ErrorKind.TLS, "STLS refused: " + LineRun.clip(line)));
                }
                run.fact("starttls", "refused: " + LineRun.clip(line));
                return Future.succeededFuture();
              });
    }

    private Future<Void> login() {
      if (check.login() == null) {
        return Future.succeededFuture();
      }
      run.phase("USER");
      String user = check.login().username();
      String pass = check.login().password().reveal();
      if (!Quoting.isLineSafe(user) || !Quoting.isLineSafe(pass)) {
        return Future.failedFuture(
            ProbeFailure.down(ErrorKind.AUTH, "username or password contains CR, LF or NUL"));
      }
      return run.requireTlsForCredentials(mode == TlsMode.NONE)
          .compose(v -> command("USER " + user))
          .compose(line -> authOk(line, "USER rejected: "))
          .compose(
              v -> {
                run.phase("PASS");
                return command("PASS " + pass);
              })
          .compose(line -> authOk(line, "login rejected: "))
          .compose(
              v -> {
                run.phase("STAT");
                return command("STAT");
              })
          .compose(line -> ok(line, "STAT"));
    }

    /** QUIT (RFC 1939 §6); its answer does not change the verdict. */
    private Future<Void> quit() {
      run.phase("QUIT");
      return command("QUIT").<Void>mapEmpty().otherwiseEmpty();
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

    private Future<String> command(String line) {
      return run.session()
          .send(line + "\r\n")
          .compose(v -> run.session().readLine(run.remainingMs()));
    }
  }
}
