package io.quorate.probe.mail;

import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.probe.ErrorKind;
import io.vertx.core.Future;
import java.util.Set;

/**
 * The skeleton shared by the SMTP, IMAP and POP3 dialogs: implicit TLS (RFC 8314) or plaintext,
 * greeting, capabilities, STARTTLS/STLS as the {@link TlsMode} asks (RFC 3207, RFC 2595) with the
 * capabilities asked again over TLS, login, and a polite goodbye whose answer does not change the
 * verdict. Each protocol supplies its commands, reply parsing and judgements.
 *
 * @param <R> a parsed reply: SMTP reply lines, an IMAP tagged completion, a POP3 status line
 */
abstract class MailDialog<R> {
  final LineRun run;
  final TlsMode mode;
  private final String startTlsVerb;
  private final String quitVerb;

  /**
   * @param configured the check's TLS mode; null means the conventional mode for the port
   * @param startTlsVerb the upgrade command, also the capability that offers it
   * @param quitVerb the command that ends the session
   */
  MailDialog(LineRun run, TlsMode configured, Target target, String startTlsVerb, String quitVerb) {
    this.run = run;
    this.mode = configured == null ? TlsMode.defaultFor(target.port()) : configured;
    this.startTlsVerb = startTlsVerb;
    this.quitVerb = quitVerb;
  }

  /** The whole conversation after the TCP connect. */
  final Future<Void> run() {
    Future<Void> tls = mode == TlsMode.IMPLICIT ? run.implicitTls() : Future.succeededFuture();
    return tls.compose(v -> greeting())
        .compose(v -> capabilities())
        .compose(this::maybeStartTls)
        .compose(this::login)
        .compose(v -> quit());
  }

  /** Reads and judges the server greeting. */
  abstract Future<Void> greeting();

  /** Asks for the capabilities (upper-cased) and records them as a fact. */
  abstract Future<Set<String>> capabilities();

  /** Logs in (and checks the mailbox) when the check asks for it. */
  abstract Future<Void> login(Set<String> caps);

  /** Sends one command and reads its whole answer within the current phase's limit. */
  abstract Future<R> command(String line);

  /** Null when {@code reply} accepts the TLS upgrade, else the (clipped) refusal to report. */
  abstract String refusal(R reply);

  /** Upgrades per {@link #mode}; completes with the capabilities that are valid afterwards. */
  Future<Set<String>> maybeStartTls(Set<String> caps) {
    if (mode == TlsMode.NONE || mode == TlsMode.IMPLICIT) {
      return Future.succeededFuture(caps);
    }
    if (!caps.contains(startTlsVerb)) {
      if (mode == TlsMode.STARTTLS) {
        return Future.failedFuture(ProbeFailure.protocol(startTlsVerb + " not offered"));
      }
      run.fact("starttls", "not offered");
      return Future.succeededFuture(caps);
    }
    run.phase(startTlsVerb);
    return command(startTlsVerb)
        .compose(
            reply -> {
              String refused = refusal(reply);
              if (refused == null) {
                run.fact("starttls", "ok");
                // capabilities learnt before TLS are discarded (RFC 3207 §4.2, RFC 2595 §3.1)
                return run.startTls().compose(v -> capabilities());
              }
              if (mode == TlsMode.STARTTLS) {
                return Future.failedFuture(
                    ProbeFailure.down(ErrorKind.TLS, startTlsVerb + " refused: " + refused));
              }
              run.fact("starttls", "refused: " + refused);
              return Future.succeededFuture(caps);
            });
  }

  /** Credentials go only over TLS, unless the check says {@code tls: none}. */
  Future<Void> credentialsAllowed() {
    return run.requireTlsForCredentials(mode == TlsMode.NONE);
  }

  /** Reads one line within the current phase's limit. */
  Future<String> readLine() {
    return run.readLine();
  }

  /** A greeting that is not a welcome: BUSY when the server says it refuses service for now. */
  static <T> Future<T> badGreeting(boolean busy, String line) {
    return Future.failedFuture(
        busy
            ? ProbeFailure.busy("server refused the session: " + LineRun.clip(line))
            : ProbeFailure.protocol("unexpected greeting: " + LineRun.clip(line)));
  }

  /** The goodbye (SMTP/POP3 QUIT, IMAP LOGOUT); its answer does not change the verdict. */
  private Future<Void> quit() {
    run.phase(quitVerb);
    return command(quitVerb).<Void>mapEmpty().otherwiseEmpty();
  }
}
