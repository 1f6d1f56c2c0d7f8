package io.quorate.dns;

import static io.quorate.dns.DnsTests.await;
import static io.quorate.dns.DnsTests.change;
import static io.quorate.dns.DnsTests.failure;
import static io.quorate.dns.DnsTests.rrset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.DnsZone;
import io.quorate.config.Secret;
import io.quorate.dns.DnsUpdateException.Kind;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.ScriptedDnsServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad plans and zone settings: each refused with its kind and detail before a byte is sent (the
 * scripted server counts connections).
 */
@ExtendWith(VertxExtension.class)
class Rfc2136InputTest {
  private static final String BAD_SECRET = "not*base64*secret";
  private static ScriptedDnsServer server;
  private static Rfc2136Provider provider;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    server = ScriptedDnsServer.start(vertx);
    provider = new Rfc2136Provider(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    await(provider.close());
    server.close();
  }

  private static final RRset A = rrset("rr", "A", 60, "127.0.0.11");
  private static final RRset B = rrset("rr", "A", 60, "127.0.0.12");

  private static DnsZone zone(String primary, DnsZone.Tsig tsig, String epoch) {
    return new DnsZone("example.test", primary, tsig, List.of(), epoch, 1_000, 500);
  }

  private static DnsZone.Tsig key(String alg, String secret, boolean weak) {
    return new DnsZone.Tsig("lab-update", alg, new Secret("${env:X}", secret), weak);
  }

  static Stream<Arguments> cases() {
    DnsZone.Tsig good = key("hmac-sha256", Bind9Lab.TSIG_SECRET, false);
    return Stream.of(
        Arguments.of(
            "not a CHANGE",
            null,
            new ChangePlan("p", ChangePlan.Kind.NOOP, A, A, List.of(), null),
            Kind.PROTOCOL,
            "plan p is NOOP, not CHANGE"),
        Arguments.of(
            "another name",
            null,
            change(A, rrset("www", "A", 60, "127.0.0.1")),
            Kind.PROTOCOL,
            "expected rr.example.test/A but desired www.example.test/A"),
        Arguments.of(
            "outside the zone",
            null,
            change(
                new RRset("rr.other.test", "A", 60, A.values()),
                new RRset("rr.other.test", "A", 60, B.values())),
            Kind.PROTOCOL,
            "rr.other.test is not in zone example.test"),
        Arguments.of(
            "bad value",
            null,
            change(A, rrset("rr", "A", 60, "not-an-address")),
            Kind.PROTOCOL,
            "invalid A value 'not-an-address'"),
        Arguments.of(
            "weak algorithm",
            zone("@", key("hmac-md5", Bind9Lab.TSIG_SECRET, false), null),
            change(A, B),
            Kind.NOT_AUTHORIZED,
            "TSIG algorithm 'hmac-md5' not allowed"),
        Arguments.of(
            "unknown algorithm",
            zone("@", key("hmac-sha3", Bind9Lab.TSIG_SECRET, true), null),
            change(A, B),
            Kind.NOT_AUTHORIZED,
            "TSIG algorithm 'hmac-sha3' not allowed"),
        Arguments.of(
            "bad secret",
            zone("@", key("hmac-sha256", BAD_SECRET, false), null),
            change(A, B),
            Kind.NOT_AUTHORIZED,
            "TSIG key lab-update has an invalid base64 secret"),
        Arguments.of(
            "epoch outside the zone",
            zone("@", good, "_epoch.other.test"),
            change(A, B),
            Kind.PROTOCOL,
            "epoch record _epoch.other.test is not in zone example.test"),
        Arguments.of(
            "bad primary",
            zone("127.0.0.1:notaport", good, null),
            change(A, B),
            Kind.PROTOCOL,
            "invalid primary '127.0.0.1:notaport'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedBeforeSending(String what, DnsZone zone, ChangePlan plan, Kind kind, String detail) {
    DnsZone z = zone == null ? DnsTests.zone(server.port()) : zone;
    if (z.primary().equals("@")) {
      z = zone("127.0.0.1:" + server.port(), z.tsig(), z.epochRecord());
    }
    int before = server.tcpConnections.get();

    DnsUpdateException e = failure(provider.apply(z, plan));

    assertEquals(kind, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(detail), e.getMessage());
    assertFalse(e.getMessage().contains(BAD_SECRET), "never echo a secret");
    assertEquals(before, server.tcpConnections.get(), "nothing sent");
  }
}
