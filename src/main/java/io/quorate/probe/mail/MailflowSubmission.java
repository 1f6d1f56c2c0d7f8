package io.quorate.probe.mail;

import io.quorate.config.MailflowCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Failures;
import io.quorate.probe.Outcome;
import io.quorate.probe.tls.TlsVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Submits one tagged test message with vertx-mail-client (RFC 5321, STARTTLS per RFC 3207 or
 * implicit TLS per RFC 8314, AUTH per RFC 4954) through a client made for this one message and
 * closed afterwards. The server's certificate is judged during the handshake by {@link
 * JudgingTrustManager}. The future fails only with a {@link ProbeFailure}.
 */
final class MailflowSubmission {
  /** The header that carries the tag; searched for over IMAP (RFC 3501 §6.4.4 HEADER). */
  static final String HEADER = "X-Quorate-Probe";

  /** The idle timeout is this much later than the submission's own limit, which must win. */
  private static final int IDLE_SLACK_MS = 1_000;

  private final Vertx vertx;
  private final TlsVerifier verifier;

  MailflowSubmission(Vertx vertx, TlsVerifier verifier) {
    this.vertx = vertx;
    this.verifier = verifier;
  }

  /**
   * Sends the message tagged {@code headerValue} within {@code limitMs}; completes when the server
   * accepted it (the reply to the end of DATA).
   *
   * @return the TLS judgement of the session, or null when no TLS was used
   */
  Future<TlsVerifier.Judgement> send(
      Target target, MailflowCheck check, String runId, String headerValue, long limitMs) {
    MailflowCheck.Smtp smtp = check.smtp();
    String service =
        smtp.tls() != null && smtp.tls().serverName() != null
            ? smtp.tls().serverName()
            : target.address();
    JudgingTrustManager tm = new JudgingTrustManager(verifier, smtp.tls(), service);
    int limit = (int) Math.max(1, Math.min(Integer.MAX_VALUE, limitMs));
    MailClient client = MailClient.create(vertx, config(target, smtp, tm, limit));
    MailMessage message =
        new MailMessage()
            .setFrom(check.from())
            .setTo(check.to())
            .setSubject("Quorate mail-flow probe " + runId)
            .setText(
                "Quorate sent this message to test mail delivery for target "
                    + target.id()
                    + ".\r\nIt deletes it as soon as it finds it.\r\n")
            .addHeader(HEADER, headerValue);
    return client
        .sendMail(message)
        .timeout(limit, TimeUnit.MILLISECONDS)
        .<TlsVerifier.Judgement>map(r -> tm.judgement())
        .recover(t -> Future.failedFuture(classify(t, tm, limit)))
        .eventually(() -> client.close().otherwiseEmpty());
  }

  private static MailConfig config(
      Target target, MailflowCheck.Smtp smtp, JudgingTrustManager tm, int limitMs) {
    TlsMode mode = smtp.tlsMode();
    MailConfig c =
        new MailConfig()
            .setHostname(target.address())
            .setPort(target.port())
            .setOwnHostname(smtp.ehloName())
            .setSsl(mode == TlsMode.IMPLICIT)
            .setStarttls(
                switch (mode) {
                  case STARTTLS -> StartTLSOptions.REQUIRED;
                  case OPPORTUNISTIC -> StartTLSOptions.OPTIONAL;
                  case NONE, IMPLICIT -> StartTLSOptions.DISABLED;
                })
            .setKeepAlive(false)
            .setMaxPoolSize(1)
            .setTrustAll(false)
            .setTrustOptions(TrustOptions.wrap(tm))
            .setHostnameVerificationAlgorithm("") // the judgement checks the name (RFC 6125)
            .setConnectTimeout(limitMs)
            // a backstop that closes the socket if close() leaves a stuck connection behind
            .setIdleTimeout(limitMs + IDLE_SLACK_MS)
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setSslHandshakeTimeout(limitMs)
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (smtp.login() != null) {
      c.setLogin(LoginOption.REQUIRED)
          .setUsername(smtp.login().username())
          .setPassword(smtp.login().password().reveal());
    } else {
      c.setLogin(LoginOption.DISABLED);
    }
    return c;
  }

  /** What went wrong, as the probe reports it (never the password). */
  static ProbeFailure classify(Throwable t, JudgingTrustManager tm, long limitMs) {
    TlsVerifier.Judgement j = tm.judgement();
    if (j != null && j.outcome() == Outcome.DOWN) {
      return ProbeFailure.down(j.errorKind(), j.detail());
    }
    if (t instanceof SMTPException e) {
      return reply(e);
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return ProbeFailure.down(ErrorKind.TIMEOUT, "no answer within " + limitMs + " ms");
    }
    String msg = String.valueOf(t.getMessage());
    String lower = msg.toLowerCase(Locale.ROOT);
    if (lower.contains("starttls")) {
      return ProbeFailure.down(ErrorKind.TLS, LineRun.clip(msg));
    }
    if (lower.contains("auth") || lower.contains("login")) {
      return ProbeFailure.down(ErrorKind.AUTH, LineRun.clip(msg));
    }
    Failures.Classified c = Failures.classify("", t);
    return ProbeFailure.down(c.kind(), c.detail());
  }

  /** An SMTP reply that ended the submission (RFC 5321 §4.2.1, RFC 4954 §6, RFC 3207 §4). */
  private static ProbeFailure reply(SMTPException e) {
    int code = e.getReplyCode();
    String text =
        LineRun.clip(
            e.getReplyMessages() == null ? e.getMessage() : String.join(" ", e.getReplyMessages()));
    String detail =
        "refused with " + (text.startsWith(String.valueOf(code)) ? text : code + " " + text);
    if (code == 530 && text.toUpperCase(Locale.ROOT).contains("STARTTLS")) {
      return ProbeFailure.down(ErrorKind.TLS, detail);
    }
    if (code == 530 || code == 534 || code == 535 || code == 538) {
      return ProbeFailure.down(ErrorKind.AUTH, detail);
    }
    if (code >= 400 && code < 500) {
      return ProbeFailure.busy(detail);
    }
    return ProbeFailure.down(ErrorKind.DELIVERY, detail);
  }
}
