package io.quorate.alert;

import io.quorate.config.Alerts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers events by email through an SMTP relay ({@link Alerts.Email}) with vertx-mail-client:
 * STARTTLS required (RFC 3207; a relay that does not offer it gets nothing, not a message in
 * clear), implicit TLS (RFC 8314 §3.3) or none; the relay's certificate is verified against the
 * configured CA file and its host name; AUTH when a username is configured.
 *
 * <p>Outcome: accepted → DELIVERED (250); a 4xx reply (RFC 5321 §4.2.1: transient) or any
 * connection, TLS or timeout problem → RETRY; a 5xx reply (permanent) → FAILED.
 */
public final class EmailSender implements ChannelSender {
  private final Alerts.Email config;
  private final MailClient client;

  public EmailSender(Vertx vertx, Alerts.Email config) {
    this.config = config;
    this.client = MailClient.create(vertx, mailConfig(config));
  }

  static MailConfig mailConfig(Alerts.Email c) {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, c.timeoutMs()));
    MailConfig m =
        new MailConfig()
            .setHostname(c.host())
            .setPort(c.port())
            .setStarttls(
                c.tls() == Alerts.Email.TlsMode.STARTTLS
                    ? StartTLSOptions.REQUIRED
                    : StartTLSOptions.DISABLED)
            .setSsl(c.tls() == Alerts.Email.TlsMode.IMPLICIT)
            .setHostnameVerificationAlgorithm("HTTPS")
            .setKeepAlive(false)
            .setOwnHostname(domainOf(c.from())) // EHLO name; no local host-name lookup
            .setConnectTimeout(timeoutMs)
            .setIdleTimeout(timeoutMs)
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setSslHandshakeTimeout(timeoutMs)
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (c.caFile() != null) {
      m.setTrustOptions(new PemTrustOptions().addCertPath(c.caFile()));
    }
    if (c.username() != null) {
      m.setLogin(LoginOption.REQUIRED).setUsername(c.username());
      m.setPassword(c.password() == null ? "" : c.password().reveal());
    } else {
      m.setLogin(LoginOption.DISABLED);
    }
    return m;
  }

  @Override
  public String channelId() {
    return config.id();
  }

  @Override
  public Future<DeliveryResult> send(AlertEvent event, int attempt) {
    MailMessage msg;
    try {
      msg = message(event);
    } catch (RuntimeException e) {
      return Future.succeededFuture(DeliveryResult.failed(-1, "cannot build message: " + e));
    }
    return client
        .sendMail(msg)
        .timeout(Math.max(1, config.timeoutMs()), TimeUnit.MILLISECONDS)
        .map(r -> DeliveryResult.delivered(250))
        .otherwise(EmailSender::classify);
  }

  /**
   * Closes the mail client (on shutdown). Never fails: the client reports a connection that the
   * relay already closed (e.g. after a rejection) as a close failure, which changes nothing here.
   */
  public Future<Void> close() {
    return client.close().recover(e -> Future.succeededFuture());
  }

  MailMessage message(AlertEvent e) {
    return new MailMessage()
        .setFrom(config.from())
        .setTo(config.to())
        .setSubject(EmailMessages.subject(e))
        .setText(EmailMessages.text(e))
        .setHtml(EmailMessages.html(e))
        .addHeader("Message-ID", EmailMessages.messageId(e, config.from()))
        .addHeader(EmailMessages.EVENT_ID_HEADER, EmailMessages.headerSafe(e.id()));
  }

  /** RFC 5321 §4.2.1: 4yz transient → RETRY, 5yz permanent → FAILED; anything else RETRY. */
  static DeliveryResult classify(Throwable t) {
    if (t instanceof SMTPException s) {
      int code = s.getReplyCode();
      String detail = "SMTP " + EmailMessages.oneLine(String.valueOf(s.getMessage()), 300);
      return code >= 500 && code < 600
          ? DeliveryResult.failed(code, detail)
          : DeliveryResult.retry(code, -1, detail);
    }
    if (t instanceof TimeoutException) {
      return DeliveryResult.retry(-1, -1, "SMTP: timed out");
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return DeliveryResult.retry(-1, -1, "SMTP: " + EmailMessages.oneLine(msg, 300));
  }

  private static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    String d = at >= 0 ? address.substring(at + 1).replaceAll("[^A-Za-z0-9.-]", "") : "";
    return d.isEmpty() ? "quorate.invalid" : d;
  }
}
