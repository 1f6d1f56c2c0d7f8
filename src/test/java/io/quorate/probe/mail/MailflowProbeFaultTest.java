package io.quorate.probe.mail;

import static io.quorate.probe.ProbeAssert.assertResult;
import static io.quorate.probe.mail.MailTargets.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.MailflowCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.DovecotLab;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.SharedLabs;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Servers that never answer (in-process, a real server would not do it on purpose): the probe keeps
 * its overall timeout, completes, and closes its sockets. The IMAP side is the shared real Dovecot
 * where it must work.
 */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class MailflowProbeFaultTest {
  private static final long TIMEOUT_MS = 6_000;
  private static DovecotLab dovecot;

  @BeforeAll
  static void useSharedLab(DovecotLab shared) {
    dovecot = shared;
  }

  /** A TCP server that accepts and never says a word; counts open connections. */
  private record Silent(NetServer server, AtomicInteger accepted, AtomicInteger open) {
    static Silent start(Vertx vertx) throws Exception {
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger open = new AtomicInteger();
      NetServer s = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"));
      s.connectHandler(
          sock -> {
            accepted.incrementAndGet();
            open.incrementAndGet();
            sock.handler(b -> {});
            sock.closeHandler(v -> open.decrementAndGet());
          });
      s.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
      return new Silent(s, accepted, open);
    }

    int port() {
      return server.actualPort();
    }
  }

  private static Target target(int smtpPort, int imapPort) {
    TlsPolicy imapTls = TlsPolicy.DEFAULT.withCaFile(dovecot.caFile().toString());
    MailflowCheck check =
        new MailflowCheck(
            new MailflowCheck.Smtp(TlsMode.STARTTLS, "probe.example.test", null, null),
            "probe@example.test",
            "probe@example.test",
            new MailflowCheck.Imap(
                "127.0.0.1",
                imapPort,
                TlsMode.STARTTLS,
                login("probe", DovecotLab.PASSWORD),
                "INBOX",
                imapTls),
            1_000,
            null);
    return new Target(
        "flow-fault",
        ProbeType.MAILFLOW,
        null,
        "127.0.0.1",
        smtpPort,
        60_000,
        TIMEOUT_MS,
        null,
        1,
        1,
        check);
  }

  private static ProbeResult run(Vertx vertx, Target t) throws Exception {
    return new MailflowProbe(ProbeContext.of(vertx))
        .run(t)
        .toCompletionStage()
        .toCompletableFuture()
        .get(TIMEOUT_MS + 3_000, TimeUnit.MILLISECONDS);
  }

  @Test
  void silentSmtpServerIsDownTimeoutWithinTheBudgetAndClosed(Vertx vertx) throws Exception {
    Silent smtp = Silent.start(vertx);
    ProbeResult r = run(vertx, target(smtp.port(), dovecot.imapPort));
    assertResult(r, Outcome.DOWN, ErrorKind.TIMEOUT, "smtp: no answer within ");
    assertTrue(r.timings().totalMs() < TIMEOUT_MS, "took " + r.timings().totalMs());
    assertEquals(1, smtp.accepted().get());
    Poll.until(Duration.ofSeconds(3), "SMTP socket closed", smtp.open()::get, n -> n == 0);
    smtp.server().close();
  }

  @Test
  void silentImapServerIsDownTimeoutAndNothingIsSent(Vertx vertx) throws Exception {
    Silent imap = Silent.start(vertx);
    Silent smtp = Silent.start(vertx);
    ProbeResult r = run(vertx, target(smtp.port(), imap.port()));
    assertResult(r, Outcome.DOWN, ErrorKind.TIMEOUT, "imap greeting: timed out waiting for");
    assertTrue(r.timings().totalMs() <= TIMEOUT_MS + 600, "took " + r.timings().totalMs());
    assertEquals(0, smtp.accepted().get(), "no SMTP connection without a mailbox to read");
    assertFalse(r.facts().containsKey("smtpMs"));
    Poll.until(Duration.ofSeconds(3), "IMAP socket closed", imap.open()::get, n -> n == 0);
    imap.server().close();
    smtp.server().close();
  }
}
