package io.quorate.dns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ConfigLoader;
import io.quorate.config.DnsZone;
import io.quorate.config.QuorateConfig;
import io.quorate.dns.Records;
import io.quorate.testsupport.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The embedded zone's versions: initial content, CAS, serials, journal, listeners. */
public class ZoneStoreTest {
  public static final String YAML =
      String.join(
          "\n",
          "regions: [a]",
          "targets:",
          "  - {id: w1, type: http, address: 127.0.0.21}",
          "  - {id: w2, type: http, address: 127.0.0.22}",
          "  - {id: w3, type: http, address: 127.0.0.23}",
          "zones:",
          "  - zone: Demo.Test.",
          "    provider: embedded",
          "    embedded:",
          "      soa: {mname: ns1.demo.test, rname: hostmaster.demo.test, minimum: 30}",
          "      nameServers: [ns1.demo.test, ns2.demo.test]",
          "      records:",
          "        - {name: ns1.demo.test, type: A, value: 127.0.0.1}",
          "        - {name: a.b.deep.demo.test, type: TXT, ttl: 60, value: '\"hello world\"'}",
          "        - {name: alias.demo.test, type: CNAME, value: www.demo.test.}",
          "pools:",
          "  - id: www",
          "    zone: demo.test",
          "    name: www.demo.test",
          "    type: A",
          "    ttl: 20",
          "    members:",
          "      - {id: w1, value: 127.0.0.21, target: w1}",
          "      - {id: w2, value: 127.0.0.22, target: w2}",
          "      - {id: w3, value: 127.0.0.23, target: w3, role: backup}",
          "");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));

  public static QuorateConfig config() throws Exception {
    return new ConfigLoader(Map.<String, String>of()::get).parseShared(YAML, "inline.yaml");
  }

  private static Name n(String s) {
    return Records.name(s);
  }

  @Test
  void initialZoneHasSoaNsStaticRecordsAndThePrimaries() throws Exception {
    QuorateConfig cfg = config();
    DnsZone zone = cfg.zones().get(0);
    assertTrue(zone.isEmbedded());
    ZoneSnapshot z = new ZoneStore(cfg, clock).zone(n("demo.test")).orElseThrow();

    assertEquals(Instant.parse("2026-11-22T10:00:00Z").getEpochSecond(), z.serial());
    assertEquals(30, z.soa().getMinimum());
    assertEquals(2, z.nameServers().size());
    assertEquals(2, z.get(n("WWW.demo.test"), Type.A).size(), "primaries only, case-insensitive");
    assertEquals(20, z.get(n("www.demo.test"), Type.A).getTTL());
    assertTrue(z.exists(n("deep.demo.test")), "empty non-terminal");
    assertTrue(z.exists(n("b.deep.demo.test")), "empty non-terminal");
    assertTrue(z.at(n("deep.demo.test")).isEmpty());
    assertFalse(z.exists(n("nothing.demo.test")));
    assertNull(z.delegation(n("www.demo.test")));
    List<Record> axfr = z.records();
    assertEquals(Type.SOA, axfr.get(0).getType());
    assertEquals(1, axfr.stream().filter(r -> r.getType() == Type.SOA).count());
    assertEquals(8, axfr.size(), "SOA, 2 NS, ns1 A, TXT, CNAME, 2 www A");
  }

  @Test
  void applyIsACompareAndSetThatBumpsTheSerialAndJournals() throws Exception {
    ZoneStore store = new ZoneStore(config(), clock);
    List<ZoneSnapshot> seen = new ArrayList<>();
    store.onChange(seen::add);
    Name apex = n("demo.test");
    Name www = n("www.demo.test");
    long s0 = store.zone(apex).orElseThrow().serial();
    List<Record> two = List.of(a("127.0.0.21"), a("127.0.0.22"));
    List<Record> one = List.of(a("127.0.0.22"));

    ZoneSnapshot s1 = store.apply(apex, www, Type.A, two, one);
    assertEquals(s0 + 1, s1.serial(), "same second: previous + 1");
    assertEquals(1, s1.get(www, Type.A).size());
    assertEquals(List.of(s1), seen);

    assertThrows(
        ZoneStore.ConflictException.class,
        () -> store.apply(apex, www, Type.A, two, List.of()),
        "the RRset is no longer the two records");
    assertEquals(1, seen.size(), "a conflict changes nothing");

    clock.advance(java.time.Duration.ofSeconds(100));
    ZoneSnapshot s2 = store.apply(apex, www, Type.A, one, List.of());
    assertEquals(s0 + 100, s2.serial(), "a later second: the clock");
    assertNull(s2.get(www, Type.A));
    assertFalse(s2.exists(www), "the name is gone with its last RRset");

    List<ZoneStore.Diff> diffs = store.since(apex, s0).orElseThrow();
    assertEquals(2, diffs.size());
    assertEquals(s0, diffs.get(0).from().getSerial());
    assertEquals(2, diffs.get(0).removed().size());
    assertEquals(s2.serial(), diffs.get(1).to().getSerial());
    assertEquals(List.of(), store.since(apex, s2.serial()).orElseThrow());
    assertTrue(store.since(apex, 12345).isEmpty(), "unknown serial: full transfer");
  }

  @Test
  void journalIsBounded() throws Exception {
    ZoneStore store = new ZoneStore(config(), clock);
    Name apex = n("demo.test");
    long s0 = store.zone(apex).orElseThrow().serial();
    List<Record> cur = List.of(a("127.0.0.21"), a("127.0.0.22"));
    for (int i = 0; i < ZoneStore.JOURNAL_LENGTH + 5; i++) {
      List<Record> next =
          i % 2 == 0 ? List.of(a("127.0.0.21")) : List.of(a("127.0.0.21"), a("127.0.0.22"));
      store.apply(apex, n("www.demo.test"), Type.A, cur, next);
      cur = next;
    }
    assertTrue(store.since(apex, s0).isEmpty(), "fell off the journal");
    long last = store.zone(apex).orElseThrow().serial();
    assertEquals(1, store.since(apex, last - 1).orElseThrow().size());
  }

  @Test
  void findsTheClosestEnclosingZone() throws Exception {
    ZoneStore store = new ZoneStore(config(), clock);
    assertEquals(n("demo.test"), store.find(n("X.Y.DEMO.test")).orElseThrow().origin());
    assertTrue(store.find(n("demo.test.example")).isEmpty());
    assertTrue(store.find(n("test")).isEmpty());
    assertThrows(
        IllegalArgumentException.class,
        () -> store.apply(n("other.test"), n("www.other.test"), Type.A, List.of(), List.of()));
  }

  private static Record a(String ip) {
    return Records.record(n("www.demo.test"), Type.A, 20, ip);
  }
}
