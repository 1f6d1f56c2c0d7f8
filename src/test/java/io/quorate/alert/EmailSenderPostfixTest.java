package io.quorate.alert;

import static io.quorate.testsupport.ScriptedLineServer.expect;
import static io.quorate.testsupport.ScriptedLineServer.script;
import static io.quorate.testsupport.ScriptedLineServer.send;
import static io.quorate.testsupport.ScriptedLineServer.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.alert.DeliveryResult.Outcome;
import io.quorate.config.Alerts;
import io.quorate.config.Alerts.Email.TlsMode;
import io.quorate.config.Secret;
import io.quorate.testsupport.DovecotLab;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.PostfixLab;
import io.quorate.testsupport.ScriptedLineServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link EmailSender} end to end: a real Postfix 3.7 (STARTTLS, SMTPS, Dovecot SASL) delivers
 * through the Dovecot LDA into a Maildir, read back over IMAP from a real Dovecot. Scripted relays
 * only for what Postfix will not do (STARTTLS advertised then refused, silence).
 */
@ExtendWith(VertxExtension.class)
class EmailSenderPostfixTest {
  static final String DOMAIN = "inbox.example.test";
  static final String RCPT = "alerts@" + DOMAIN;
  static final String FROM = "quorate@example.test";
  private static final Duration ARRIVAL = Duration.ofSeconds(15);
  private static DovecotLab dovecot;
  private static PostfixLab postfix;

  @BeforeAll
  static void startLabs() {
    dovecot = DovecotLab.startForDelivery();
    postfix = PostfixLab.startDelivering(dovecot, DOMAIN);
  }

  @AfterAll
  static void stopLabs() {
    if (postfix != null) {
      postfix.close();
    }
    if (dovecot != null) {
      dovecot.close();
    }
  }

  @Test
  void deliveredOverStarttlsWithBothPartsAndTheEventId(Vertx vertx) {
    AlertEvent e = event("evt_mail-1", "web-2 DOWN in 3/3 regions — www.example.test", Map.of());
    assertEquals(
        DeliveryResult.delivered(250),
        deliver(vertx, relay(postfix.smtpPort, TlsMode.STARTTLS), e));
    MailParse m = MailParse.of(only(e.id()));
    assertEquals("[CRITICAL] web-2 DOWN in 3/3 regions — www.example.test", m.header("subject"));
    assertEquals("<evt_mail-1.quorate@example.test>", m.header("message-id"));
    assertEquals("evt_mail-1", m.header("x-quorate-event-id"));
    assertEquals(FROM, m.header("from"));
    String received = m.all("received").get(0);
    assertTrue(received.contains("(using TLSv1."), received); // smtpd_tls_received_header
    assertTrue(received.contains(" with ESMTPSA id "), received); // RFC 3848: TLS + AUTH
    String text = m.part("text/plain");
    assertTrue(text.startsWith("CRITICAL: web-2 DOWN in 3/3 regions — www.example.test\n"), text);
    assertTrue(text.contains("What:    verdict.down\n"), text);
    assertTrue(text.contains("Where:   web-2 (group web)\n"), text);
    assertTrue(text.contains("  votes: 3/3\n"), text);
    String html = m.part("text/html");
    assertTrue(html.contains("<h2>[CRITICAL] web-2 DOWN in 3/3 regions — www.example.test</h2>"));
    assertTrue(html.contains("<tr><th align=\"left\">What</th><td>verdict.down</td></tr>"), html);
  }

  @Test
  void implicitTlsDeliversAndADuplicateIsRecognisable(Vertx vertx) {
    AlertEvent e = event("evt_mail-2", "dns.applied for www", Map.of());
    Alerts.Email cfg = relay(postfix.smtpsPort, TlsMode.IMPLICIT);
    assertEquals(DeliveryResult.delivered(250), deliver(vertx, cfg, e));
    assertEquals(DeliveryResult.delivered(250), deliver(vertx, cfg, e));
    List<String> both = awaitCount(e.id(), 2);
    assertEquals(2, both.size());
    for (String raw : both) {
      MailParse m = MailParse.of(raw);
      assertEquals("<evt_mail-2.quorate@example.test>", m.header("message-id"));
      assertTrue(m.all("received").get(0).contains("(using TLSv1."));
    }
  }

  @Test
  void everythingIsEscapedAndTheSubjectStaysOneLine(Vertx vertx) {
    AlertEvent e =
        event(
            "evt_mail-3",
            "<script>alert(1)</script> & \"x\"\r\nBcc: victim@" + DOMAIN,
            Map.of("why", "<b>bold</b>"));
    assertEquals(
        DeliveryResult.delivered(250),
        deliver(vertx, relay(postfix.smtpPort, TlsMode.STARTTLS), e));
    MailParse m = MailParse.of(only(e.id()));
    assertEquals(
        "[CRITICAL] <script>alert(1)</script> & \"x\" Bcc: victim@" + DOMAIN, m.header("subject"));
    assertEquals(List.of(), m.all("bcc"));
    String html = m.part("text/html");
    assertFalse(html.contains("<script>") || html.contains("<b>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"), html);
    assertTrue(html.contains("<td>&lt;b&gt;bold&lt;/b&gt;</td>"), html);
    assertEquals(List.of(), mailbox("victim@" + DOMAIN).search("X-Quorate-Event-Id", e.id()));
  }

  @Test
  void aRelayWithoutStarttlsGetsNothingInClear(Vertx vertx) throws Exception {
    AlertEvent e = event("evt_mail-4", "must not travel in clear", Map.of());
    DeliveryResult r = deliver(vertx, relay(postfix.plainPort, TlsMode.STARTTLS), e);
    assertEquals(Outcome.RETRY, r.outcome(), r.toString());
    assertEquals(-1, r.status());
    assertTrue(r.detail().contains("STARTTLS"), r.detail());
    // Postfix logs each session's commands: the plain port saw EHLO and QUIT, never MAIL FROM
    String session = awaitLogLine("postfix/plain/smtpd", "ehlo=");
    assertFalse(session.contains("mail=") || session.contains("auth="), session);
    assertTrue(session.contains("ehlo=1"), session);
    assertEquals(List.of(), mailbox(RCPT).search("X-Quorate-Event-Id", e.id()));
  }

  @Test
  void starttlsAdvertisedThenRefusedIsRetriedAndNothingIsSent(Vertx vertx) {
    ScriptedLineServer s =
        ScriptedLineServer.start(
                vertx,
                script(
                    send("220 relay.example.test ESMTP\r\n"),
                    expect("EHLO"),
                    send("250-relay.example.test\r\n250 STARTTLS\r\n"),
                    expect("STARTTLS"),
                    send("454 4.7.0 TLS not available due to local problem\r\n"),
                    silence()))
            .await();
    Alerts.Email cfg =
        new Alerts.Email(
            "m",
            "127.0.0.1",
            s.port(),
            TlsMode.STARTTLS,
            null,
            null,
            null,
            FROM,
            List.of(RCPT),
            1_500);
    long t0 = System.nanoTime();
    DeliveryResult r = deliver(vertx, cfg, event("evt_mail-5", "x", Map.of()));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    // vertx-mail-client 5.0.8 neither fails nor quits on a 454 to STARTTLS: it waits, and the
    // channel's timeout ends the attempt
    assertEquals(DeliveryResult.retry(-1, -1, "SMTP: timed out"), r);
    assertTrue(ms < 1_500 + 700, "took " + ms + " ms");
    assertEquals(List.of("EHLO example.test", "STARTTLS"), s.received(), "nothing in clear");
    s.close().await();
  }

  @Test
  void anUntrustedRelayCertificateIsRetriedAndNothingIsDelivered(Vertx vertx) {
    AlertEvent e = event("evt_mail-6", "wrong CA", Map.of());
    Alerts.Email cfg =
        relay(postfix.smtpPort, TlsMode.STARTTLS, dovecot.caFile().toString(), PostfixLab.PASSWORD);
    DeliveryResult r = deliver(vertx, cfg, e);
    assertEquals(Outcome.RETRY, r.outcome(), r.toString());
    assertEquals(List.of(), mailbox(RCPT).search("X-Quorate-Event-Id", e.id()));
  }

  @Test
  void replyCodesMapToOutcomes(Vertx vertx) {
    String ca = postfix.caFile().toString();
    Alerts.Email busy = withTo(relay(postfix.smtpPort, TlsMode.STARTTLS), "busy@" + DOMAIN);
    DeliveryResult deferred = deliver(vertx, busy, event("evt_mail-7", "x", Map.of()));
    assertEquals(Outcome.RETRY, deferred.outcome(), deferred.toString());
    assertEquals(450, deferred.status());
    Alerts.Email anonymous =
        withTo(
            new Alerts.Email(
                "m",
                "127.0.0.1",
                postfix.smtpPort,
                TlsMode.STARTTLS,
                null,
                null,
                ca,
                FROM,
                List.of(RCPT),
                10_000),
            "someone@elsewhere.test");
    DeliveryResult relayDenied = deliver(vertx, anonymous, event("evt_mail-8", "x", Map.of()));
    assertEquals(Outcome.FAILED, relayDenied.outcome(), relayDenied.toString());
    assertEquals(554, relayDenied.status());
    assertTrue(relayDenied.detail().contains("Relay access denied"), relayDenied.detail());
    DeliveryResult badLogin =
        deliver(
            vertx,
            relay(postfix.smtpPort, TlsMode.STARTTLS, ca, "wrong"),
            event("evt_mail-9", "x", Map.of()));
    assertEquals(Outcome.FAILED, badLogin.outcome(), badLogin.toString());
    assertEquals(535, badLogin.status());
  }

  @Test
  void aSilentRelayIsRetriedWithinTheTimeout(Vertx vertx) {
    ScriptedLineServer s = ScriptedLineServer.start(vertx, script(silence())).await();
    Alerts.Email cfg =
        new Alerts.Email(
            "m",
            "127.0.0.1",
            s.port(),
            TlsMode.STARTTLS,
            null,
            null,
            null,
            FROM,
            List.of(RCPT),
            1_000);
    long t0 = System.nanoTime();
    DeliveryResult r = deliver(vertx, cfg, event("evt_mail-10", "x", Map.of()));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Outcome.RETRY, r.outcome(), r.toString());
    assertTrue(ms >= 950 && ms < 1_700, "took " + ms + " ms");
    s.close().await();
  }

  static AlertEvent event(String id, String summary, Map<String, String> extra) {
    AlertEvent d = AlertFixtures.down();
    Map<String, String> details = new java.util.TreeMap<>(d.details());
    details.putAll(extra);
    return new AlertEvent(
        id,
        d.kind(),
        d.severity(),
        d.subject(),
        d.group(),
        summary,
        details,
        d.occurredAt(),
        d.region(),
        d.dedupKey(),
        false);
  }

  private static Alerts.Email relay(int port, TlsMode tls) {
    return relay(port, tls, postfix.caFile().toString(), PostfixLab.PASSWORD);
  }

  private static Alerts.Email relay(int port, TlsMode tls, String ca, String password) {
    return new Alerts.Email(
        "mail",
        "127.0.0.1",
        port,
        tls,
        FROM,
        new Secret("${env:SMTP_PASSWORD}", password),
        ca,
        FROM,
        List.of(RCPT),
        10_000);
  }

  private static Alerts.Email withTo(Alerts.Email c, String to) {
    return new Alerts.Email(
        c.id(),
        c.host(),
        c.port(),
        c.tls(),
        c.username(),
        c.password(),
        c.caFile(),
        c.from(),
        List.of(to),
        c.timeoutMs());
  }

  private static DeliveryResult deliver(Vertx vertx, Alerts.Email cfg, AlertEvent e) {
    EmailSender sender = new EmailSender(vertx, cfg);
    try {
      return sender.send(e, 1).await();
    } finally {
      sender.close().await();
    }
  }

  private static ImapMailbox mailbox(String user) {
    return new ImapMailbox(dovecot.imapPort, user, DovecotLab.PASSWORD);
  }

  private static String only(String eventId) {
    List<String> found = mailbox(RCPT).await("X-Quorate-Event-Id", eventId, ARRIVAL);
    assertEquals(1, found.size(), "messages for " + eventId);
    return found.get(0);
  }

  private static List<String> awaitCount(String eventId, int n) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    List<String> found = mailbox(RCPT).await("X-Quorate-Event-Id", eventId, ARRIVAL);
    while (found.size() < n && System.nanoTime() < deadline) {
      found = mailbox(RCPT).await("X-Quorate-Event-Id", eventId, Duration.ofMillis(100));
    }
    return found;
  }

  /** Polls Postfix's log (a child daemon's output) for a line with both markers; bounded. */
  private static String awaitLogLine(String a, String b) {
    return Poll.until(
            Duration.ofSeconds(10),
            "a Postfix log line with " + a + " and " + b,
            () -> {
              try {
                return java.nio.file.Files.readAllLines(postfix.log()).stream()
                    .filter(l -> l.contains(a) && l.contains(b))
                    .findFirst();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            java.util.Optional::isPresent)
        .orElseThrow();
  }
}
