package io.quorate.probe.mail;

import static io.quorate.probe.ProbeAssert.assertResult;
import static io.quorate.probe.mail.MailTargets.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.MailFlowLab;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mail-flow probe against real mail: Postfix accepts the message (STARTTLS required, or
 * implicit TLS; SASL AUTH) and delivers it through dovecot-lda into the Dovecot mailbox the probe
 * reads over IMAP. Each test uses its own mailbox; {@link MailboxPeek} checks what is left.
 */
@ExtendWith(VertxExtension.class)
class MailflowProbePostfixTest {
  private static final String PW = MailFlowLab.PASSWORD;
  private static final Pattern QUEUE_ID = Pattern.compile("\"queue_id\": *\"([0-9A-F]+)\"");
  private static MailFlowLab lab;

  @BeforeAll
  static void startLab() {
    lab = MailFlowLab.start();
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  /** A flow to {@code user}@example.test with STARTTLS on both sides and good passwords. */
  private static MailFlow flow(String user) {
    String to = user + "@" + MailFlowLab.DOMAIN;
    return new MailFlow(
        user,
        lab.submissionPort,
        TlsMode.STARTTLS,
        login("probe@" + MailFlowLab.DOMAIN, PW),
        trusted(),
        to,
        lab.imapPort,
        TlsMode.STARTTLS,
        login(to, PW),
        10_000,
        null,
        15_000);
  }

  private static TlsPolicy trusted() {
    return TlsPolicy.DEFAULT.withCaFile(lab.caFile().toString());
  }

  private static ProbeResult run(Vertx vertx, Target t) throws Exception {
    return new MailflowProbe(ProbeContext.of(vertx))
        .run(t)
        .toCompletionStage()
        .toCompletableFuture()
        .get(t.timeoutMs() + 5_000, TimeUnit.MILLISECONDS);
  }

  @Test
  void deliveredThroughStarttlsIsUpWithLatencyAndDeleted(Vertx vertx) throws Exception {
    ProbeResult r = run(vertx, flow("flow-up").target(lab.caFile()));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    long delivery = Long.parseLong(r.facts().get("deliveryMs"));
    assertTrue(delivery >= 0 && delivery < 10_000, r.facts().toString());
    assertNotNull(r.facts().get("smtpMs"), r.facts().toString());
    assertEquals("1", r.facts().get("deleted"), r.facts().toString());
    assertEquals("0", r.facts().get("leftovers"), r.facts().toString());
    assertEquals("ok", r.facts().get("starttls"));
    assertNotNull(r.tls(), "IMAP TLS facts");
    try (MailboxPeek peek = new MailboxPeek(lab.imapPort, "flow-up@example.test", PW)) {
      assertEquals(List.of(), peek.tagged(""), "the test message is gone");
    }
  }

  @Test
  void deliveredThroughImplicitTlsIsUp(Vertx vertx) throws Exception {
    MailFlow f =
        flow("flow-implicit")
            .smtp(lab.smtpsPort, TlsMode.IMPLICIT)
            .imap(lab.imapsPort, TlsMode.IMPLICIT);
    ProbeResult r = run(vertx, f.target(lab.caFile()));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("1", r.facts().get("deleted"), r.facts().toString());
    try (MailboxPeek peek = new MailboxPeek(lab.imapPort, "flow-implicit@example.test", PW)) {
      assertEquals(List.of(), peek.tagged(""));
    }
  }

  @Test
  void deliveryLaterThanDegradedAfterIsDegraded(Vertx vertx) throws Exception {
    Target t = flow(MailFlowLab.HELD_PREFIX + "-late").degradedAfter(1_000).target(lab.caFile());
    Future<ProbeResult> probe = new MailflowProbe(ProbeContext.of(vertx)).run(t);
    // the message waits in Postfix's hold queue; released 1.5 s after it was seen there
    String queued =
        Poll.until(Duration.ofSeconds(10), "held message", lab::queue, q -> q.contains("-late@"));
    Matcher m = QUEUE_ID.matcher(queued);
    assertTrue(m.find(), queued);
    String id = m.group(1);
    vertx
        .timer(1_500, TimeUnit.MILLISECONDS)
        .compose(v -> vertx.executeBlocking(() -> lab.queueRelease(id), false));
    ProbeResult r = probe.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertResult(r, Outcome.DEGRADED, ErrorKind.LATENCY, "(degradedAfterMs 1000)");
    long delivery = Long.parseLong(r.facts().get("deliveryMs"));
    assertTrue(delivery >= 1_500 && delivery < 10_000, r.facts().toString());
    assertTrue(r.detail().startsWith("delivery: took " + delivery + " ms"), r.detail());
    assertEquals("1", r.facts().get("deleted"), r.facts().toString());
    try (MailboxPeek peek = new MailboxPeek(lab.imapPort, "held-late@example.test", PW)) {
      assertEquals(List.of(), peek.tagged(""));
    }
  }

  @Test
  void neverDeliveredIsDownAtTheDeadline(Vertx vertx) throws Exception {
    Target t = flow(MailFlowLab.HELD_PREFIX + "-lost").deadline(2_000, 8_000).target(lab.caFile());
    ProbeResult r = run(vertx, t);
    assertResult(r, Outcome.DOWN, ErrorKind.DELIVERY, "delivery: not found in INBOX within ");
    assertTrue(r.detail().endsWith(" ms after the SMTP server accepted it"), r.detail());
    double total = r.timings().totalMs();
    assertTrue(total >= 2_000 && total < 8_000, "took " + total);
    int polls = Integer.parseInt(r.facts().get("polls"));
    assertTrue(polls >= 5 && polls <= 2_000 / MailflowDialog.POLL_MS + 5, "polls " + polls);
    assertTrue(lab.queue().contains("held-lost@"), "still held, never delivered");
  }

  @Test
  void wrongImapPasswordIsDownAuthAndSendsNothing(Vertx vertx) throws Exception {
    MailFlow f = flow("flow-badimap").imapLogin(login("flow-badimap@example.test", "wrong"));
    ProbeResult r = run(vertx, f.target(lab.caFile()));
    assertResult(r, Outcome.DOWN, ErrorKind.AUTH, "imap LOGIN: login rejected: ");
    assertFalse(r.facts().containsKey("smtpMs"), "no message submitted: " + r.facts());
    assertFalse(r.facts().containsKey("tag"), r.facts().toString());
  }

  @Test
  void recipientRefusedBySmtpIsDownDelivery(Vertx vertx) throws Exception {
    MailFlow f = flow("refused");
    ProbeResult r = run(vertx, f.target(lab.caFile()));
    assertResult(r, Outcome.DOWN, ErrorKind.DELIVERY, "smtp: refused with 554");
    assertTrue(r.detail().contains("5.1.1"), r.detail());
    assertFalse(r.facts().containsKey("deliveryMs"), r.facts().toString());
  }

  @Test
  void wrongSmtpPasswordIsDownAuth(Vertx vertx) throws Exception {
    MailFlow f = flow("flow-badsmtp").smtpLogin(login("probe@example.test", "wrong"));
    ProbeResult r = run(vertx, f.target(lab.caFile()));
    assertResult(r, Outcome.DOWN, ErrorKind.AUTH, "smtp: refused with 535");
  }

  @Test
  void plaintextSubmissionWhereStarttlsIsRequiredIsDownTls(Vertx vertx) throws Exception {
    MailFlow f = flow("flow-plain").smtp(lab.submissionPort, TlsMode.NONE).smtpLogin(null);
    ProbeResult r = run(vertx, f.target(lab.caFile()));
    assertResult(r, Outcome.DOWN, ErrorKind.TLS, "smtp: refused with 530");
    assertTrue(r.detail().contains("STARTTLS"), r.detail());
  }

  @Test
  void untrustedSmtpCertificateIsDownBeforeAuth(Vertx vertx) throws Exception {
    MailFlow f = flow("flow-untrusted").smtpTls(TlsPolicy.DEFAULT);
    ProbeResult r = run(vertx, f.target(lab.caFile()));
    assertResult(r, Outcome.DOWN, ErrorKind.CERTIFICATE, "smtp: untrusted certificate chain");
  }

  @Test
  void closedSmtpPortIsDownRefused(Vertx vertx) throws Exception {
    MailFlow f = flow("flow-closed").smtp(Ports.free(), TlsMode.STARTTLS);
    ProbeResult r = run(vertx, f.target(lab.caFile()));
    assertResult(r, Outcome.DOWN, ErrorKind.REFUSED, "smtp: ");
  }

  @Test
  void oldLeftoversOfThisTargetAreDeletedOthersKept(Vertx vertx) throws Exception {
    String user = "flow-left@example.test";
    String now =
        ZonedDateTime.now()
            .format(DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH));
    try (MailboxPeek peek = new MailboxPeek(lab.imapPort, user, PW)) {
      peek.append("t=flow-left; id=old1", "01-Jan-2020 00:00:00 +0000");
      peek.append("t=flow-left; id=old2", "02-Jan-2020 00:00:00 +0000");
      peek.append("t=other-flow-left; id=old3", "01-Jan-2020 00:00:00 +0000");
      peek.append("t=flow-left; id=fresh", now); // another region may still be looking for it
    }
    ProbeResult r = run(vertx, flow("flow-left").target(lab.caFile()));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("2", r.facts().get("leftovers"), r.facts().toString());
    try (MailboxPeek peek = new MailboxPeek(lab.imapPort, user, PW)) {
      assertEquals(1, peek.tagged("t=flow-left;").size(), "only the fresh one");
      assertEquals(1, peek.tagged("id=fresh").size());
      assertEquals(1, peek.tagged("t=other-flow-left;").size(), "another target's is kept");
    }
  }
}
