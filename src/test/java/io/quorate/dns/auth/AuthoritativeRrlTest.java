package io.quorate.dns.auth;

import static io.quorate.testsupport.DigRunner.dig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Response-rate limiting of {@code rrl.test} (5 responses/s, slip 2) on a server whose clock stands
 * still, so one burst falls in one window: exact counts of sent, dropped and slipped responses.
 */
@ExtendWith(VertxExtension.class)
class AuthoritativeRrlTest {
  private static AuthFixture auth;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    Clock frozen = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    auth = AuthFixture.start(vertx, frozen, AuthoritativeServer.Limits.DEFAULT, List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    auth.close();
  }

  @Test
  void aUdpBurstIsLimitedWithEverySecondLimitedResponseSlipped() throws Exception {
    int full = 0;
    int truncated = 0;
    int silent = 0;
    try (DatagramSocket s = new DatagramSocket()) {
      for (int i = 0; i < 20; i++) {
        Message q =
            Message.newQuery(Record.newRecord(Name.fromString("ns1.rrl.test."), Type.A, DClass.IN));
        q.getHeader().setID(1000 + i);
        Message a = RawDns.udpExchange(s, auth.port(), q.toWire());
        if (a == null) {
          silent++;
        } else {
          assertEquals(1000 + i, a.getHeader().getID());
          if (a.getHeader().getFlag(Flags.TC)) {
            assertEquals(0, a.getSection(1).size());
            truncated++;
          } else {
            assertEquals(1, a.getSection(1).size());
            full++;
          }
        }
        if (i == 6) { // a drop costs a 3 s wait: probe the rest with the metrics instead
          break;
        }
      }
      assertEquals(List.of(5, 1, 1), List.of(full, truncated, silent));
      for (int i = 0; i < 13; i++) { // fire and forget; the counters tell their fate
        Message q =
            Message.newQuery(Record.newRecord(Name.fromString("ns1.rrl.test."), Type.A, DClass.IN));
        byte[] w = q.toWire();
        s.send(
            new java.net.DatagramPacket(
                w, w.length, InetAddress.getLoopbackAddress(), auth.port()));
      }
      // a TCP query after the burst: never limited, answered in full
      String tcp = dig(auth.port(), "+tcp", "+norec", "ns1.rrl.test", "A");
      assertTrue(tcp.contains("ANSWER: 1,") && tcp.contains("status: NOERROR"), tcp);
    }
    // 20 responses, 5 allowed: limited 15, every second slipped = 7, dropped 8
    io.quorate.testsupport.Poll.until(
        java.time.Duration.ofSeconds(5),
        "all 20 counted",
        () ->
            auth.count("quorate.dns.rrl.limited", "zone", "rrl.test", "action", "dropped")
                + auth.count("quorate.dns.rrl.limited", "zone", "rrl.test", "action", "slipped"),
        n -> n == 15);
    assertEquals(7, auth.count("quorate.dns.rrl.limited", "zone", "rrl.test", "action", "slipped"));
    assertEquals(8, auth.count("quorate.dns.rrl.limited", "zone", "rrl.test", "action", "dropped"));
    assertEquals(
        5,
        auth.count("quorate.dns.queries", "zone", "rrl.test", "rcode", "NOERROR")
            - 1); // + the TCP one
    String other = dig(auth.port(), "+norec", "www.demo.test", "A"); // another zone: no limit set
    assertTrue(other.contains("ANSWER: 1,"), other);
  }
}
