package io.quorate.probe.mail;

import io.quorate.config.ImapCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeContext;
import io.vertx.core.Future;
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
public final class ImapProbe extends LineProbe<ImapCheck> {
  /** Most untagged lines accepted before a tagged completion (SELECT sends a handful). */
  static final int MAX_UNTAGGED = 200;

  /** A line ending in a literal announcement {@code {n}} (RFC 9051 §4.3): data lines follow. */
  private static final Pattern LITERAL = Pattern.compile("\\{[0-9]+\\+?}$");

  public ImapProbe(ProbeContext ctx) {
    super(ctx, ProbeType.IMAP, ImapCheck.class, ImapCheck::tls);
  }

  @Override
  protected Future<Void> dialog(LineRun run, ImapCheck check, Target target) {
    return new Dialog(run, check, target).run();
  }

  /** A tagged completion: status OK/NO/BAD, the untagged lines before it, the whole last line. */
  record Tagged(String status, List<String> untagged, String line) {}

  /**
   * One IMAP conversation; {@link #mailboxOpen} is where a subclass works in the selected mailbox
   * (the mail-flow probe) before LOGOUT.
   */
  static class Dialog extends MailDialog<Tagged> {
    private final ImapCheck check;
    private int tag;
    private boolean preauth;

    Dialog(LineRun run, ImapCheck check, Target target) {
      super(run, check.tlsMode(), target, "STARTTLS", "LOGOUT");
      this.check = check;
    }

    @Override
    Future<Void> greeting() {
      run.phase("greeting", PhaseLimit.GREETING);
      return readLine()
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
                // RFC 9051 §7.1.5: BYE at greeting = the server refuses service now (overloaded)
                return badGreeting(up.startsWith("* BYE"), line);
              });
    }

    @Override
    Future<Set<String>> capabilities() {
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

    /** After a PREAUTH greeting the session is authenticated: STARTTLS is not allowed. */
    @Override
    Future<Set<String>> maybeStartTls(Set<String> caps) {
      if (preauth) {
        return mode == TlsMode.STARTTLS
            ? Future.failedFuture(ProbeFailure.protocol("PREAUTH greeting: STARTTLS impossible"))
            : Future.succeededFuture(caps);
      }
      return super.maybeStartTls(caps);
    }

    @Override
    String refusal(Tagged t) {
      return t.status().equals("OK") ? null : t.line();
    }

    /** LOGIN (RFC 9051 §6.2.3) unless PREAUTH, then SELECT, then {@link #mailboxOpen}. */
    @Override
    final Future<Void> login(Set<String> caps) {
      return logIn(caps).compose(v -> select()).compose(v -> mailboxOpen());
    }

    /** Runs after a successful SELECT (or right after the capabilities without a login). */
    Future<Void> mailboxOpen() {
      return Future.succeededFuture();
    }

    private Future<Void> logIn(Set<String> caps) {
      if (check.login() == null || preauth) {
        return Future.succeededFuture();
      }
      run.phase("LOGIN", PhaseLimit.LOGIN);
      if (caps.contains("LOGINDISABLED")) {
        return Future.failedFuture(ProbeFailure.down(ErrorKind.AUTH, "LOGINDISABLED advertised"));
      }
      String user = Quoting.imapQuoted(check.login().username());
      String pass = Quoting.imapQuoted(check.login().password().reveal());
      if (user == null || pass == null) {
        return Future.failedFuture(
            ProbeFailure.down(ErrorKind.AUTH, "username or password contains CR, LF or NUL"));
      }
      return credentialsAllowed()
          .compose(v -> command("LOGIN " + user + " " + pass))
          .compose(t -> expectOk(t, ErrorKind.AUTH, "login rejected: "));
    }

    private Future<Void> select() {
      if (check.login() == null && !preauth) {
        return Future.succeededFuture();
      }
      run.phase("SELECT", PhaseLimit.LOGIN);
      String box = check.mailbox() == null ? ImapCheck.DEFAULT_MAILBOX : check.mailbox();
      String quoted = Quoting.imapQuoted(box);
      if (quoted == null) {
        return Future.failedFuture(ProbeFailure.protocol("mailbox name contains CR, LF or NUL"));
      }
      return command("SELECT " + quoted)
          .compose(t -> expectOk(t, ErrorKind.ASSERTION, "SELECT " + box + " failed: "));
    }

    Future<Void> expectOk(Tagged t, ErrorKind onNo, String what) {
      if (t.status().equals("OK")) {
        return Future.succeededFuture();
      }
      ErrorKind kind = t.status().equals("NO") ? onNo : ErrorKind.PROTOCOL;
      return Future.failedFuture(ProbeFailure.down(kind, what + LineRun.clip(t.line())));
    }

    /** Sends {@code cmd} with a fresh tag and reads up to its tagged completion. */
    @Override
    Future<Tagged> command(String cmd) {
      String t = "q" + (++tag);
      return run.session()
          .send(t + " " + cmd + "\r\n")
          .compose(v -> untilTagged(t, new ArrayList<>()));
    }

    private Future<Tagged> untilTagged(String t, List<String> untagged) {
      return readLine()
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
