package io.quorate.probe.mail;

import io.quorate.config.ImapCheck;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * IMAP probe (RFC 9051, RFC 3501): greeting, CAPABILITY, STARTTLS or implicit TLS (RFC 8314),
 * CAPABILITY again, optional LOGIN and SELECT, LOGOUT.
 */
public final class ImapProbe implements Probe {
  /** Most untagged lines accepted before a tagged completion (SELECT sends a handful). */
  static final int MAX_UNTAGGED = 200;

  /** A line ending in a literal announcement {@code {n}} (RFC 9051 §4.3): data lines follow. */
  private static final Pattern LITERAL = Pattern.compile("\\{[0-9]+\\+?}$");

  private final ProbeContext ctx;
  private final NetClient client;

  public ImapProbe(ProbeContext ctx) {
    this.ctx = ctx;
    this.client = ctx.vertx().createNetClient(new NetClientOptions().setTcpNoDelay(true));
  }

  @Override
  public ProbeType type() {
    return ProbeType.IMAP;
  }

  @Override
  public Future<ProbeResult> run(Target target) {
    ImapCheck check = target.check(ImapCheck.class);
    return LineRun.onEventLoop(
        ctx.vertx(),
        () -> {
          LineRun run = new LineRun(ctx, target, check.tls());
          return run.finish(run.connect(client).compose(s -> new Dialog(run, check, target).run()));
        });
  }

  /** A tagged completion: status OK/NO/BAD, the untagged lines before it, the whole last line. */
  private record Tagged(String status, List<String> untagged, String line) {}

  /** One IMAP conversation. */
  private static final class Dialog {
    private final LineRun run;
    private final ImapCheck check;
    private final TlsMode mode;
    private int tag;
    private boolean preauth;

    Dialog(LineRun run, ImapCheck check, Target target) {
      this.run = run;
      this.check = check;
      this.mode = check.tlsMode() == null ? TlsMode.defaultFor(target.port()) : check.tlsMode();
    }

    Future<Void> run() {
      Future<Void> tls = mode == TlsMode.IMPLICIT ? run.implicitTls() : Future.succeededFuture();
      return tls.compose(v -> greeting())
          .compose(v -> capability())
          .compose(this::maybeStartTls)
          .compose(this::login)
          .compose(v -> select())
          .compose(v -> logout());
    }

    private Future<Void> greeting() {
      run.phase("greeting");
      return run.session()
          .readLine(run.remainingMs())
          .compose(
              line -> {
                run.fact("banner", line);
                String up = line.toUpperCase(Locale.ROOT);
                if (up.startsWith("* OK")) {
                  return Future.succeededFuture();
                }
                if (up.startsWith("* PREAUTH")) {
                  preauth = true; // RFC 9051 §7.1.4: already authenticated, LOGIN is not allowed
                  return Future.succeededFuture();
                }
                // RFC 9051 §7.1.5: BYE at greeting = the server refuses service now (e.g.
                // overloaded)
                return Future.failedFuture(
                    up.startsWith("* BYE")
                        ? ProbeFailure.busy("server refused the session: " + LineRun.clip(line))
                        : ProbeFailure.protocol("unexpected greeting: " + LineRun.clip(line)));
              });
    }

    private Future<Set<String>> capability() {
      run.phase("CAPABILITY");
      return command("CAPABILITY")
          .compose(
              t -> {
                if (!t.status().equals("OK")) {
                  return Future.failedFuture(
                      ProbeFailure.protocol("CAPABILITY failed: " + t.line()));
                }
                Set<String> caps = new LinkedHashSet<>();
                for (String u : t.untagged()) {
                  if (u.toUpperCase(Locale.ROOT).startsWith("* CAPABILITY ")) {
                    caps.addAll(
                        Arrays.asList(u.substring(13).toUpperCase(Locale.ROOT).split(" +")));
                  }
                }
                run.fact("capabilities", String.join(" ", caps));
                return Future.succeededFuture(caps);
              });
    }

    private Future<Set<String>> maybeStartTls(Set<String> caps) {
      if (mode == TlsMode.NONE || mode == TlsMode.IMPLICIT || preauth) {
        return preauth && mode == TlsMode.STARTTLS
            ? Future.failedFuture(ProbeFailure.protocol("PREAUTH greeting: STARTTLS impossible"))
            : Future.succeededFuture(caps);
      }
      if (!caps.contains("STARTTLS")) {
        if (mode == TlsMode.STARTTLS) {
          return Future.failedFuture(ProbeFailure.protocol("STARTTLS not offered"));
        }
        run.fact("starttls", "not offered");
        return Future.succeededFuture(caps);
      }
      run.phase("STARTTLS");
      return command("STARTTLS")
          .compose(
              t -> {
                if (t.status().equals("OK")) {
                  run.fact("starttls", "ok");
                  return run.startTls().compose(v -> capability());
                }
                if (mode == TlsMode.STARTTLS) {
                  return Future.failedFuture(
                      ProbeFailure.down(ErrorKind.TLS, "STARTTLS refused: " + t.line()));
                }
                run.fact("starttls", "refused: " + t.line());
                return Future.succeededFuture(caps);
              });
    }

    private Future<Void> login(Set<String> caps) {
      if (check.login() == null || preauth) {
        return Future.succeededFuture();
      }
      run.phase("LOGIN");
      if (caps.contains("LOGINDISABLED")) {
        return Future.failedFuture(ProbeFailure.down(ErrorKind.AUTH, "LOGINDISABLED advertised"));
      }
      String user = Quoting.imapQuoted(check.login().username());
      String pass = Quoting.imapQuoted(check.login().password().reveal());
      if (user == null || pass == null) {
        return Future.failedFuture(
            ProbeFailure.down(ErrorKind.AUTH, "username or password contains CR, LF or NUL"));
      }
      return run.requireTlsForCredentials(mode == TlsMode.NONE)
          .compose(v -> command("LOGIN " + user + " " + pass))
          .compose(t -> expectOk(t, ErrorKind.AUTH, "login rejected: "));
    }

    private Future<Void> select() {
      if (check.login() == null && !preauth) {
        return Future.succeededFuture();
      }
      run.phase("SELECT");
      String box = check.mailbox() == null ? ImapCheck.DEFAULT_MAILBOX : check.mailbox();
      String quoted = Quoting.imapQuoted(box);
      if (quoted == null) {
        return Future.failedFuture(ProbeFailure.protocol("mailbox name contains CR, LF or NUL"));
      }
      return command("SELECT " + quoted)
          .compose(t -> expectOk(t, ErrorKind.ASSERTION, "SELECT " + box + " failed: "));
    }

    /** LOGOUT (RFC 9051 §6.1.3); its answer does not change the verdict. */
    private Future<Void> logout() {
      run.phase("LOGOUT");
      return command("LOGOUT").<Void>mapEmpty().otherwiseEmpty();
    }

    private Future<Void> expectOk(Tagged t, ErrorKind onNo, String what) {
      if (t.status().equals("OK")) {
        return Future.succeededFuture();
      }
      ErrorKind kind = t.status().equals("NO") ? onNo : ErrorKind.PROTOCOL;
      return Future.failedFuture(ProbeFailure.down(kind, what + LineRun.clip(t.line())));
    }

    /** Sends {@code cmd} with a fresh tag and reads up to its tagged completion. */
    private Future<Tagged> command(String cmd) {
      String t = "q" + (++tag);
      return run.session()
          .send(t + " " + cmd + "\r\n")
          .compose(v -> untilTagged(t, new ArrayList<>()));
    }

    private Future<Tagged> untilTagged(String t, List<String> untagged) {
      return run.session()
          .readLine(run.remainingMs())
          .compose(
              line -> {
                if (line.startsWith(t + " ")) {
                  String rest = line.substring(t.length() + 1);
                  String status = rest.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                  if (!status.equals("OK") && !status.equals("NO") && !status.equals("BAD")) {
                    return Future.failedFuture(
                        ProbeFailure.protocol("malformed completion: " + LineRun.clip(line)));
                  }
                  return Future.succeededFuture(new Tagged(status, untagged, LineRun.clip(line)));
                }
                boolean inLiteral =
                    !untagged.isEmpty()
                        && LITERAL.matcher(untagged.get(untagged.size() - 1)).find();
                if (!line.startsWith("* ") && !line.startsWith("+") && !inLiteral) {
                  return Future.failedFuture(
                      ProbeFailure.protocol("unexpected line: " + LineRun.clip(line)));
                }
                untagged.add(line);
                if (untagged.size() > MAX_UNTAGGED) {
                  return Future.failedFuture(
                      ProbeFailure.protocol("more than " + MAX_UNTAGGED + " untagged responses"));
                }
                return untilTagged(t, untagged);
              });
    }
  }
}
