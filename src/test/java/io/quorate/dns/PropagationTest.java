package io.quorate.dns;

import static io.quorate.dns.DnsTests.await;
import static io.quorate.dns.DnsTests.change;
import static io.quorate.dns.DnsTests.rrset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.DnsZone;
import io.quorate.failover.RRset;
import io.quorate.testsupport.Bind9Conf;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Propagation checks against three real BIND servers: a primary that sends NOTIFY, a real secondary
 * that transfers the zone from it (AXFR signed with the lab key), and a lagging server (a separate
 * primary with the original zone that never gets the change).
 */
@ExtendWith(VertxExtension.class)
class PropagationTest {
  private static final String EXTRA = "lag IN A 127.0.0.91\nnsd IN A 127.0.0.95";
  private static Bind9Lab primary;
  private static Bind9Lab secondary;
  private static Bind9Lab lagging;
  private static Rfc2136Provider provider;

  @BeforeAll
  static void start(Vertx vertx) {
    String zoneText = Bind9Lab.exampleZone(1, EXTRA);
    int secondaryPort = Ports.free();
    int primaryPort = Ports.free();
    while (primaryPort == secondaryPort) {
      primaryPort = Ports.free();
    }
    Bind9Conf conf = Bind9Conf.primary(DnsTests.ZONE);
    primary = Bind9Lab.start(conf.withNotify(secondaryPort), zoneText, primaryPort);
    secondary = Bind9Lab.start(conf.secondaryOf(primaryPort), "", secondaryPort);
    lagging = Bind9Lab.start(DnsTests.ZONE, zoneText);
    provider = new Rfc2136Provider(vertx);
  }

  @AfterAll
  static void stop() {
    await(provider.close());
    for (Bind9Lab lab : new Bind9Lab[] {primary, secondary, lagging}) {
      if (lab != null) {
        lab.close();
      }
    }
  }

  private static DnsZone zone(long timeoutMs, Bind9Lab... servers) {
    DnsZone z = DnsTests.zone(primary.port());
    List<String> list = java.util.Arrays.stream(servers).map(s -> "127.0.0.1:" + s.port()).toList();
    return new DnsZone(z.zone(), z.primary(), z.tsig(), list, null, timeoutMs, 2_000);
  }

  private static String label(Bind9Lab lab) {
    return "127.0.0.1:" + lab.port();
  }

  @Test
  void completeWhenThePrimaryAndItsSecondaryServeTheChange() {
    DnsZone z = zone(10_000, primary, secondary);
    RRset desired = rrset("rr", "A", 60, "127.0.0.12", "127.0.0.15");
    await(provider.apply(z, change(await(provider.read(z, "rr.example.test", "A")), desired)));

    Propagation p = await(provider.awaitPropagation(z, desired));

    assertTrue(p.complete(), p.toString());
    assertEquals(Map.of(label(primary), "ok", label(secondary), "ok"), p.servers());
    assertTrue(p.elapsedMs() < 10_000, p.toString());
  }

  @Test
  void aLaggingServerIsNamedWithWhatItServesAtTheTimeout() {
    DnsZone z = zone(1_500, primary, secondary, lagging);
    RRset old = rrset("lag", "A", 60, "127.0.0.91");
    RRset desired = rrset("lag", "A", 60, "127.0.0.92");
    await(provider.apply(z, change(old, desired)));

    Propagation p = await(provider.awaitPropagation(z, desired));

    assertFalse(p.complete(), p.toString());
    assertEquals(
        Map.of(
            label(primary), "ok",
            label(secondary), "ok",
            label(lagging), "served [127.0.0.91]"),
        p.servers());
    assertTrue(p.elapsedMs() >= 1_300 && p.elapsedMs() < 3_000, p.toString());
  }

  @Test
  void aServerThatDoesNotAnswerIsNamedWithWhy() {
    DnsZone base = zone(800, primary);
    int closed = Ports.free();
    DnsZone z =
        new DnsZone(
            base.zone(),
            base.primary(),
            base.tsig(),
            List.of(label(primary), "127.0.0.1:" + closed),
            null,
            800,
            300);
    RRset rr = await(provider.read(z, "ns1.example.test", "A"));

    Propagation p = await(provider.awaitPropagation(z, rr));

    assertFalse(p.complete(), p.toString());
    assertEquals("ok", p.servers().get(label(primary)));
    String why = p.servers().get("127.0.0.1:" + closed);
    assertTrue(why.startsWith("TIMEOUT") || why.startsWith("UNREACHABLE"), why);
  }

  @Test
  void withoutAServerListTheNsRRsetIsResolvedAtThePrimary() {
    DnsZone base = zone(5_000, primary);
    DnsZone z =
        new DnsZone(base.zone(), base.primary(), base.tsig(), List.of(), null, 5_000, 2_000);
    RRset desired = rrset("nsd", "A", 60, "127.0.0.96");
    await(provider.apply(z, change(rrset("nsd", "A", 60, "127.0.0.95"), desired)));

    Propagation p = await(provider.awaitPropagation(z, desired));

    // NS ns1.example.test, in-zone glue 127.0.0.1, asked on the primary's port: the primary
    assertEquals(Map.of(label(primary), "ok"), p.servers());
    assertTrue(p.complete(), p.toString());
  }
}
