package io.quorate.probe.dns;

import static io.quorate.probe.dns.DnsChecks.consistency;
import static io.quorate.probe.dns.DnsChecks.contains;
import static io.quorate.probe.dns.DnsChecks.count;
import static io.quorate.probe.dns.DnsChecks.equalsSet;
import static io.quorate.probe.dns.DnsChecks.nonEmpty;
import static io.quorate.probe.dns.DnsChecks.query;
import static io.quorate.probe.dns.DnsChecks.target;
import static io.quorate.probe.dns.DnsChecks.ttl;
import static io.quorate.probe.dns.DnsChecks.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.DnsCheck;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dns probe against real BIND 9 instances on loopback. */
@ExtendWith(VertxExtension.class)
class DnsProbeBindTest {
  /** 60 A records on one name: about 1 KB of answer, over the 512-byte plain-UDP limit. */
  private static final String BIG =
      IntStream.rangeClosed(1, 60)
          .mapToObj(i -> "big IN A 127.0.1." + i)
          .collect(Collectors.joining("\n"));

  /** A delegation: answers below it are referrals with AA clear. */
  private static final String DELEGATION = "sub IN NS ns.sub\nns.sub IN A 127.0.0.1";

  /** An in-zone name server with only an AAAA record. */
  private static final String V6_ONLY_NS = "@ IN NS ns6\nns6 IN AAAA ::1";

  private static Bind9Lab serial7;
  private static Bind9Lab serial9;
  private static Bind9Lab serial7b;

  private DnsProbe probe;

  @BeforeAll
  static void startBind() {
    serial7 = Bind9Lab.start("example.test", Bind9Lab.exampleZone(7, BIG + "\n" + DELEGATION));
    // second NS whose address this server cannot give (out of zone, no recursion: REFUSED)
    serial9 =
        Bind9Lab.start("example.test", Bind9Lab.exampleZone(9, "@ IN NS ns2.elsewhere.invalid."));
    // a second NS name in the zone with only an AAAA record; named also listens on [::1]
    serial7b = Bind9Lab.start("example.test", Bind9Lab.exampleZone(7, V6_ONLY_NS), true);
  }

  @AfterAll
  static void stopBind() {
    for (Bind9Lab b : new Bind9Lab[] {serial7, serial9, serial7b}) {
      if (b != null) {
        b.close();
      }
    }
  }

  @BeforeEach
  void newProbe(Vertx vertx) {
    probe = new DnsProbe(ProbeContext.of(vertx));
  }

  private ProbeResult ask(DnsCheck check) throws Exception {
    return DnsChecks.run(probe, target("127.0.0.1", serial7.port(), 3_000, check));
  }

  @Test
  void roundRobinPassesEqualsContainsCountAndTtl() throws Exception {
    DnsCheck all =
        query(
            "rr.example.test",
            "A",
            new DnsCheck.AnswerAssertions(
                List.of("127.0.0.14", "127.0.0.13", "127.0.0.12", "127.0.0.11"),
                List.of("127.0.0.12"),
                4,
                true,
                60L,
                60L));
    ProbeResult r = ask(with(all, null, null, true));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("NOERROR", r.facts().get("rcode"));
    assertEquals("4", r.facts().get("answers"));
    assertEquals("udp", r.facts().get("transport"));
    assertEquals("true", r.facts().get("aa"));
    assertEquals("127.0.0.1:" + serial7.port(), r.facts().get("server"));
    assertNull(r.facts().get("truncated"));
    assertNull(r.timings().connectMs());
    assertNotNull(r.timings().firstByteMs());
    assertTrue(r.timings().totalMs() >= r.timings().firstByteMs());
  }

  @Test
  void equalsFailsWithBothSetsInTheDetail() throws Exception {
    ProbeResult r = ask(query("rr.example.test", "A", equalsSet("127.0.0.11", "127.0.0.12")));
    assertFailed(
        r,
        ErrorKind.ASSERTION,
        "answer [127.0.0.11, 127.0.0.12, 127.0.0.13, 127.0.0.14]"
            + " does not equal [127.0.0.11, 127.0.0.12]");
  }

  @Test
  void containsCountAndTtlFailures() throws Exception {
    assertFailed(
        ask(query("www.example.test", "A", contains("127.0.0.99"))),
        ErrorKind.ASSERTION,
        "answer [127.0.0.10] does not contain [127.0.0.99]");
    assertFailed(
        ask(query("rr.example.test", "A", count(3))),
        ErrorKind.ASSERTION,
        "answer [127.0.0.11, 127.0.0.12, 127.0.0.13, 127.0.0.14] has 4" + " records (expected 3)");
    assertFailed(
        ask(query("www.example.test", "A", ttl(120L, null))),
        ErrorKind.ASSERTION,
        "TTL 60 of 127.0.0.10 is below 120");
    assertFailed(
        ask(query("www.example.test", "A", ttl(null, 30L))),
        ErrorKind.ASSERTION,
        "TTL 60 of 127.0.0.10 is above 30");
  }

  @Test
  void namesCompareCaseInsensitivelyWithOrWithoutTrailingDotAndTxtUnquoted() throws Exception {
    assertEquals(
        Outcome.UP, ask(query("EXAMPLE.test.", "MX", equalsSet("10 MAIL.Example.Test"))).outcome());
    assertEquals(
        Outcome.UP, ask(query("example.test", "MX", equalsSet("10 mail.example.test."))).outcome());
    assertEquals(
        Outcome.UP,
        ask(query("example.test", "TXT", equalsSet("v=spf1 ip4:127.0.0.1 -all"))).outcome());
    assertEquals(
        Outcome.UP,
        ask(query("example.test", "TXT", equalsSet("\"v=spf1 ip4:127.0.0.1 -all\""))).outcome());
  }

  @Test
  void cnameIsNotFollowed() throws Exception {
    // api is a CNAME to www: the A RRset owned by api itself is empty
    assertFailed(
        ask(query("api.example.test", "A", nonEmpty())), ErrorKind.ASSERTION, "answer is empty");
  }

  @Test
  void authoritativeRequiredButReferralHasAaClear() throws Exception {
    DnsCheck referral = query("www.sub.example.test", "A");
    ProbeResult plain = ask(referral);
    assertEquals(Outcome.UP, plain.outcome(), plain.detail());
    assertEquals("false", plain.facts().get("aa"));
    assertFailed(
        ask(with(referral, null, null, true)),
        ErrorKind.ASSERTION,
        "answer is not authoritative (AA clear)");
  }

  @Test
  void nxdomainExpectedAndUnexpected() throws Exception {
    DnsCheck nx = query("nosuch.example.test", "A");
    assertFailed(ask(nx), ErrorKind.DNS_RCODE, "rcode NXDOMAIN (expected NOERROR)");
    ProbeResult expected = ask(with(nx, null, "NXDOMAIN", true));
    assertEquals(Outcome.UP, expected.outcome(), expected.detail());
    assertEquals("NXDOMAIN", expected.facts().get("rcode"));
    assertFailed(
        ask(with(query("www.example.test", "A"), null, "NXDOMAIN", false)),
        ErrorKind.DNS_RCODE,
        "rcode NOERROR (expected NXDOMAIN)");
  }

  @Test
  void outOfZoneQueryIsRefused() throws Exception {
    assertFailed(
        ask(query("www.example.org", "A")),
        ErrorKind.DNS_RCODE,
        "rcode REFUSED (expected NOERROR)");
  }

  @Test
  void tcpForced() throws Exception {
    ProbeResult r =
        ask(with(query("www.example.test", "A", equalsSet("127.0.0.10")), "tcp", null, true));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("tcp", r.facts().get("transport"));
    assertNull(r.facts().get("truncated"));
    assertNotNull(r.timings().connectMs());
    assertNotNull(r.timings().firstByteMs());
  }

  @Test
  void truncatedUdpAnswerIsRetriedOverTcp() throws Exception {
    ProbeResult r = ask(with(query("big.example.test", "A", count(60)), null, null, true));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("tcp", r.facts().get("transport"));
    assertEquals("true", r.facts().get("truncated"));
    assertEquals("60", r.facts().get("answers"));
  }

  /**
   * A closed UDP port answers with ICMP port unreachable, but an unconnected datagram socket (what
   * Vert.x uses) never hears of it: the probe sees TIMEOUT at its deadline. Over TCP the RST gives
   * REFUSED at once.
   */
  @Test
  void closedPortIsTimeoutOverUdpAndRefusedOverTcp() throws Exception {
    int closed = Ports.free();
    ProbeResult udp =
        DnsChecks.run(probe, target("127.0.0.1", closed, 500, query("www.example.test", "A")));
    assertFailed(udp, ErrorKind.TIMEOUT, "no answer over UDP");
    assertTrue(udp.timings().totalMs() < 1_500, "ended near its deadline: " + udp.timings());
    ProbeResult tcp =
        DnsChecks.run(
            probe,
            target(
                "127.0.0.1",
                closed,
                500,
                with(query("www.example.test", "A"), "tcp", null, false)));
    assertFailed(tcp, ErrorKind.REFUSED, "tcp: connection refused");
    assertTrue(tcp.timings().totalMs() < 400, "refused at once: " + tcp.timings());
  }

  @Test
  void soaSerialsDifferAreInconsistent() throws Exception {
    String a = "127.0.0.1:" + serial7.port();
    String b = "127.0.0.1:" + serial9.port();
    ProbeResult r = ask(consistency("example.test", List.of(a, b)));
    assertFailed(
        r,
        Outcome.DEGRADED,
        ErrorKind.INCONSISTENT,
        "SOA serials differ: " + a + "=7, " + b + "=9");
    assertEquals("9", r.facts().get("serial." + b));
  }

  @Test
  void soaSerialsEqualAreUp() throws Exception {
    String a = "127.0.0.1:" + serial7.port();
    String b = "127.0.0.1:" + serial7b.port();
    ProbeResult r = ask(consistency("example.test.", List.of(a, b)));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("7", r.facts().get("serial"));
    assertEquals("7", r.facts().get("serial." + a));
    assertEquals("7", r.facts().get("serial." + b));
  }

  @Test
  void oneServerSilentIsDegradedAllSilentIsDown() throws Exception {
    String a = "127.0.0.1:" + serial7.port();
    String dead = "127.0.0.1:" + Ports.free();
    ProbeResult one =
        DnsChecks.run(
            probe,
            target(
                "127.0.0.1", serial7.port(), 700, consistency("example.test", List.of(a, dead))));
    assertFailed(
        one,
        Outcome.DEGRADED,
        ErrorKind.TIMEOUT,
        dead + ": no answer over UDP (others agree on serial 7)");
    ProbeResult all =
        DnsChecks.run(
            probe,
            target("127.0.0.1", serial7.port(), 700, consistency("example.test", List.of(dead))));
    assertFailed(
        all,
        Outcome.DOWN,
        ErrorKind.TIMEOUT,
        "no server answered: " + dead + ": no answer over UDP");
  }

  @Test
  void nsDiscoveryFindsTheServersFromTheTarget() throws Exception {
    ProbeResult r = ask(consistency("example.test", List.of()));
    assertEquals(Outcome.UP, r.outcome(), r.detail());
    assertEquals("7", r.facts().get("serial"));
    assertEquals("1", r.facts().get("servers"));
    assertEquals("7", r.facts().get("serial.ns1.example.test/127.0.0.1:" + serial7.port()));
  }

  @Test
  void nsDiscoveryFindsAnInZoneNameServerByItsAaaaRecord() throws Exception {
    ProbeResult r =
        DnsChecks.run(
            probe,
            target("127.0.0.1", serial7b.port(), 3_000, consistency("example.test", List.of())));
    assertEquals(Outcome.UP, r.outcome(), r.toString());
    assertEquals("2 server(s) agree on serial 7", r.detail());
    assertEquals("7", r.facts().get("serial.ns1.example.test/127.0.0.1:" + serial7b.port()));
    assertEquals("7", r.facts().get("serial.ns6.example.test/[::1]:" + serial7b.port()));
  }

  /**
   * An out-of-zone NS name is not asked at the target (it would answer REFUSED) but given to the
   * host-name resolver: injected here, so no lookup leaves loopback.
   */
  @Test
  void nsDiscoveryResolvesOutOfZoneNamesAndNamesTheOneItCannotReach(Vertx vertx) throws Exception {
    List<String> asked = Collections.synchronizedList(new ArrayList<>());
    DnsProbe withResolver =
        new DnsProbe(
            ProbeContext.of(vertx),
            host -> {
              asked.add(host);
              return Future.failedFuture("no such host");
            });
    ProbeResult r =
        DnsChecks.run(
            withResolver,
            target("127.0.0.1", serial9.port(), 3_000, consistency("example.test", List.of())));
    assertFailed(
        r,
        Outcome.DEGRADED,
        ErrorKind.UNREACHABLE,
        "ns2.elsewhere.invalid: no address (cannot resolve ns2.elsewhere.invalid: no such host)"
            + " (others agree on serial 9)");
    assertEquals("2", r.facts().get("servers"));
    assertEquals(List.of("ns2.elsewhere.invalid"), asked);
  }

  static void assertFailed(ProbeResult r, ErrorKind kind, String detail) {
    assertFailed(r, Outcome.DOWN, kind, detail);
  }

  static void assertFailed(ProbeResult r, Outcome outcome, ErrorKind kind, String detail) {
    assertEquals(outcome, r.outcome(), r.toString());
    assertEquals(kind, r.errorKind(), r.toString());
    assertEquals(detail, r.detail());
  }
}
