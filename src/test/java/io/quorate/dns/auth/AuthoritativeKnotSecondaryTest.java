package io.quorate.dns.auth;

import static io.quorate.testsupport.DigRunner.dig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.dns.Records;
import io.quorate.testsupport.KnotSecondaryLab;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A real Knot DNS 3.2 as a secondary of the embedded server: it transfers the zone with TSIG
 * (AXFR), then follows changes through our signed NOTIFY (accepted by its ACL) and IXFR (RFC 1995):
 * a new name, and an RRset replaced (removals and additions in one diff).
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthoritativeKnotSecondaryTest {
  private static AuthFixture auth;
  private static KnotSecondaryLab knot;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    int knotPort = Ports.free();
    auth =
        AuthFixture.start(
            vertx,
            Clock.systemUTC(),
            new AuthoritativeServer.Limits(64, 10_000, 300),
            List.of("127.0.0.1:" + knotPort));
    knot = KnotSecondaryLab.start(AuthFixture.ZONE, auth.port(), knotPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (knot != null) {
      knot.close();
    }
    auth.close();
  }

  @Test
  @Order(1)
  void knotTransfersTheWholeZoneWithTsig() {
    assertTrue(
        auth.count("quorate.dns.transfers", "zone", "demo.test", "type", "axfr", "outcome", "ok")
            >= 1,
        knot.logTail());
    assertEquals(serial(auth.port()), serial(knot.port()));
    assertEquals(
        "127.0.0.20", dig(knot.port(), "+norec", "+short", "host.ent.demo.test", "A").trim());
    String big = dig(knot.port(), "+norec", "+tcp", "huge.demo.test", "TXT");
    assertTrue(big.contains("ANSWER: 60,"), big);
    String bulk = dig(knot.port(), "+norec", "+tcp", "bulk1.demo.test", "TXT");
    assertTrue(bulk.contains("ANSWER: 100,"), bulk); // from the multi-message part of the AXFR
    assertEquals(
        "www.demo.test.", dig(knot.port(), "+norec", "+short", "alias.demo.test", "CNAME").trim());
  }

  @Test
  @Order(2)
  void knotFollowsANewNameThroughNotifyAndIxfr() throws Exception {
    double ixfr = ixfrCount();
    double acked = auth.count("quorate.dns.notify", "zone", "demo.test", "outcome", "acked");
    long before = serial(auth.port());
    Name name = Records.name("dyn.demo.test");
    auth.store.apply(zone(), name, Type.A, List.of(), List.of(a(name, "127.0.0.77")));
    long after = awaitKnotSerialAbove(before);
    assertEquals("127.0.0.77", dig(knot.port(), "+norec", "+short", "dyn.demo.test", "A").trim());
    assertEquals(ixfr + 1, ixfrCount(), knot.logTail());
    assertEquals(
        0,
        auth.count(
            "quorate.dns.transfers", "zone", "demo.test", "type", "ixfr-full", "outcome", "ok"));
    Poll.until(
        Duration.ofSeconds(5),
        "NOTIFY acknowledged by knotd",
        () -> auth.count("quorate.dns.notify", "zone", "demo.test", "outcome", "acked"),
        n -> n == acked + 1);
    assertEquals(after, serial(auth.port()));
  }

  @Test
  @Order(3)
  void knotServesAReplacedRrsetAndNotTheOldOne() throws Exception {
    double ixfr = ixfrCount();
    long before = serial(auth.port());
    Name www = Records.name("www.demo.test");
    auth.store.apply(
        zone(),
        www,
        Type.A,
        List.of(a(www, "127.0.0.10")),
        List.of(a(www, "127.0.0.31"), a(www, "127.0.0.32")));
    awaitKnotSerialAbove(before);
    String[] got = dig(knot.port(), "+norec", "+short", "www.demo.test", "A").trim().split("\n");
    Arrays.sort(got);
    assertEquals(List.of("127.0.0.31", "127.0.0.32"), List.of(got));
    assertEquals("::1", dig(knot.port(), "+norec", "+short", "www.demo.test", "AAAA").trim());
    assertEquals("127.0.0.77", dig(knot.port(), "+norec", "+short", "dyn.demo.test", "A").trim());
    assertEquals(ixfr + 1, ixfrCount(), knot.logTail());
  }

  private static long awaitKnotSerialAbove(long before) {
    long now = serial(auth.port());
    assertTrue(now > before);
    Poll.until(
        Duration.ofSeconds(15),
        "knotd serves serial " + now + "; log:\n" + knot.logTail(),
        () -> serial(knot.port()),
        s -> s == now);
    return now;
  }

  private static double ixfrCount() {
    return auth.count(
        "quorate.dns.transfers", "zone", "demo.test", "type", "ixfr", "outcome", "ok");
  }

  private static Name zone() {
    return Records.name(AuthFixture.ZONE);
  }

  private static Record a(Name name, String ip) throws Exception {
    return new ARecord(name, DClass.IN, 60, InetAddress.getByName(ip));
  }

  private static long serial(int port) {
    String out = dig(port, "+norec", "+short", "demo.test", "SOA");
    return Long.parseLong(out.trim().split("\\s+")[2]);
  }
}
