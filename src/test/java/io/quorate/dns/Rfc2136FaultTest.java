package io.quorate.dns;

import static io.quorate.dns.DnsTests.await;
import static io.quorate.dns.DnsTests.change;
import static io.quorate.dns.DnsTests.failure;
import static io.quorate.dns.DnsTests.rrset;
import static io.quorate.testsupport.ScriptedDnsServer.CLOSE;
import static io.quorate.testsupport.ScriptedDnsServer.framed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.DnsZone;
import io.quorate.dns.DnsUpdateException.Kind;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.ScriptedDnsServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;

/**
 * What real primaries will not produce, from a scripted in-process server over TCP: unsigned and
 * badly signed answers, BADTIME, each RCODE, silence, a closed connection, and an UPDATE too large
 * to send.
 */
@ExtendWith(VertxExtension.class)
class Rfc2136FaultTest {
  private static final long TIMEOUT_MS = 300;
  private static final TSIG KEY = tsig(Bind9Lab.TSIG_SECRET);
  private static final TSIG OTHER_KEY = tsig("AAAAypIODlUKuDvWRVtNgfCtbAgP1wzm5uFf9VMVFSg=");
  private static ScriptedDnsServer server;
  private static Rfc2136Provider provider;
  private static DnsZone zone;

  private final ChangePlan plan =
      change(rrset("rr", "A", 60, "127.0.0.11"), rrset("rr", "A", 60, "127.0.0.12"));

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    server = ScriptedDnsServer.start(vertx);
    provider = new Rfc2136Provider(vertx);
    DnsZone z = DnsTests.zone(server.port());
    zone = new DnsZone(z.zone(), z.primary(), z.tsig(), List.of(), null, 1_000, TIMEOUT_MS);
  }

  @AfterAll
  static void stop() throws Exception {
    await(provider.close());
    server.close();
  }

  /** Every connection of the previous test was closed (by us: the server never closes first). */
  @BeforeEach
  void reset() {
    Poll.until(
        Duration.ofSeconds(2),
        "every connection closed",
        () -> server.tcpConnections.get() - server.tcpClosed.get(),
        open -> open == 0);
    server.onTcp(q -> List.of());
    server.tcpQueries.set(0);
    server.tcpConnections.set(0);
    server.tcpBytes.set(0);
    server.tcpClosed.set(0);
  }

  private static TSIG tsig(String secret) {
    try {
      return new TSIG(TSIG.HMAC_SHA256, Name.fromString("lab-update."), secret);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An answer to {@code q} (query or UPDATE) with {@code rcode}, signed by {@code key} or not. */
  private static byte[] reply(Message q, int rcode, TSIG key, int tsigError) {
    Message m = ScriptedDnsServer.answer(q, rcode);
    m.getHeader().setOpcode(q.getHeader().getOpcode());
    if (key != null) {
      key.apply(m, tsigError, q.getTSIG());
    }
    return framed(m.toWire());
  }

  @Test
  void aSignedNoerrorIsApplied() {
    server.onTcp(q -> List.of(reply(q, Rcode.NOERROR, KEY, Rcode.NOERROR)));
    UpdateResult r = await(provider.apply(zone, plan));
    assertEquals(-1, r.epoch());
    assertEquals(1, server.tcpQueries.get());
  }

  @Test
  void anUnsignedAnswerIsUnverified() {
    server.onTcp(q -> List.of(reply(q, Rcode.NOERROR, null, 0)));
    DnsUpdateException e = failure(provider.apply(zone, plan));
    assertEquals(Kind.UNVERIFIED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("carries no TSIG"), e.getMessage());
    assertEquals(Kind.UNVERIFIED, failure(provider.read(zone, "rr.example.test", "A")).kind());
  }

  @Test
  void anAnswerSignedWithAnotherSecretIsUnverified() {
    server.onTcp(q -> List.of(reply(q, Rcode.NOERROR, OTHER_KEY, Rcode.NOERROR)));
    DnsUpdateException e = failure(provider.apply(zone, plan));
    assertEquals(Kind.UNVERIFIED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("did not verify (BADSIG)"), e.getMessage());
  }

  @Test
  void badTimeIsBadTime() {
    server.onTcp(q -> List.of(reply(q, Rcode.NOTAUTH, KEY, Rcode.BADTIME)));
    DnsUpdateException e = failure(provider.apply(zone, plan));
    assertEquals(Kind.BAD_TIME, e.kind(), e.getMessage());
    assertEquals(Rcode.BADTIME, e.tsigError());
    assertTrue(e.retryable());
  }

  /** Signed answers: each RCODE (and unsigned TSIG errors, RFC 8945 §5.3.2) to its kind. */
  @ParameterizedTest
  @CsvSource({
    "NXRRSET, NOERROR, PREREQUISITE_FAILED",
    "YXRRSET, NOERROR, PREREQUISITE_FAILED",
    "NXDOMAIN, NOERROR, PREREQUISITE_FAILED",
    "YXDOMAIN, NOERROR, PREREQUISITE_FAILED",
    "NOTAUTH, NOERROR, NOT_AUTHORIZED",
    "NOTAUTH, BADSIG, NOT_AUTHORIZED",
    "NOTAUTH, BADKEY, NOT_AUTHORIZED",
    "REFUSED, NOERROR, REFUSED",
    "SERVFAIL, NOERROR, SERVER_FAILURE",
    "NOTIMP, NOERROR, PROTOCOL",
    "FORMERR, NOERROR, PROTOCOL",
    "NOTZONE, NOERROR, PROTOCOL"
  })
  void rcodesMapToKinds(String rcode, String tsigError, Kind kind) {
    int err = Rcode.value(tsigError);
    TSIG key = err == Rcode.NOERROR ? KEY : null; // BADSIG / BADKEY answers are unsigned
    server.onTcp(
        q -> {
          Message m = ScriptedDnsServer.answer(q, Rcode.value(rcode));
          m.getHeader().setOpcode(q.getHeader().getOpcode());
          if (key != null) {
            key.apply(m, q.getTSIG());
          } else {
            OTHER_KEY.apply(m, err, q.getTSIG()); // an unsigned TSIG carrying the error
          }
          return List.of(framed(m.toWire()));
        });
    DnsUpdateException e = failure(provider.apply(zone, plan));
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(Rcode.value(rcode), e.rcode());
    assertEquals(err, e.tsigError());
  }

  @Test
  void silenceIsATransportFailureWithinTheTimeoutAndTheConnectionIsClosed() {
    long start = System.nanoTime();
    DnsUpdateException e = failure(provider.apply(zone, plan));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Kind.TRANSPORT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("no answer from"), e.getMessage());
    assertTrue(ms >= TIMEOUT_MS && ms < TIMEOUT_MS + 1_000, ms + " ms");
    assertEquals(1, server.tcpQueries.get());
    assertEquals(1, server.tcpConnections.get());
    Poll.until(Duration.ofSeconds(2), "connection closed", server.tcpClosed::get, n -> n == 1);
  }

  @Test
  void aConnectionClosedUnansweredIsATransportFailure() {
    server.onTcp(q -> List.of(CLOSE));
    DnsUpdateException e = failure(provider.apply(zone, plan));
    assertEquals(Kind.TRANSPORT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
  }

  @Test
  void aWrongIdIsIgnoredUntilTheTimeout() {
    server.onTcp(
        q -> {
          Message m = ScriptedDnsServer.answer(q, Rcode.NOERROR);
          m.getHeader().setOpcode(q.getHeader().getOpcode());
          m.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
          return List.of(framed(m.toWire()));
        });
    DnsUpdateException e = failure(provider.apply(zone, plan));
    assertEquals(Kind.TRANSPORT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("ignored a mismatched answer: wrong ID"), e.getMessage());
  }

  @Test
  void anOversizedUpdateIsRefusedBeforeSending() {
    server.onTcp(q -> List.of(reply(q, Rcode.NOERROR, KEY, Rcode.NOERROR)));
    Set<String> many = new TreeSet<>();
    for (int i = 0; i < 2_000; i++) {
      many.add("10.0." + (i / 250) + "." + (i % 250 + 1));
    }
    RRset huge = new RRset("rr.example.test", "A", 60, many);
    DnsUpdateException e =
        failure(provider.apply(zone, change(rrset("rr", "A", 60, "127.0.0.11"), huge)));
    assertEquals(Kind.TOO_LARGE, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("16384-byte limit: not sent"), e.getMessage());
    assertEquals(0, server.tcpConnections.get());
    assertEquals(0, server.tcpBytes.get());
  }
}
