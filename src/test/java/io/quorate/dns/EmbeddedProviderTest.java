package io.quorate.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.DnsZone;
import io.quorate.config.QuorateConfig;
import io.quorate.dns.auth.ZoneStore;
import io.quorate.dns.auth.ZoneStoreTest;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The failover executor's view of an embedded zone: read, CAS apply, instant propagation. */
@ExtendWith(VertxExtension.class)
class EmbeddedProviderTest {

  @Test
  void readApplyConflictAndPropagation(Vertx vertx) throws Exception {
    QuorateConfig cfg = ZoneStoreTest.config();
    MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    ZoneStore store = new ZoneStore(cfg, clock);
    EmbeddedProvider dns = new EmbeddedProvider(vertx, store);
    DnsZone zone = cfg.zones().get(0);

    RRset now = await(dns.read(zone, "WWW.demo.test", "a"));
    assertEquals(new RRset("www.demo.test", "A", 20, Set.of("127.0.0.21", "127.0.0.22")), now);
    assertTrue(await(dns.read(zone, "none.demo.test", "A")).isEmpty());

    RRset one = new RRset("www.demo.test", "A", 20, Set.of("127.0.0.22"));
    ChangePlan plan =
        new ChangePlan("www", ChangePlan.Kind.CHANGE, now, one, List.of("w1 down"), null);
    UpdateResult r = await(dns.apply(zone, plan));
    assertEquals(store.zone(Records.name("demo.test")).orElseThrow().serial(), r.epoch());
    assertEquals(one, await(dns.read(zone, "www.demo.test", "A")));

    DnsUpdateException e =
        (DnsUpdateException)
            dns.apply(zone, plan)
                .toCompletionStage()
                .toCompletableFuture()
                .handle((ok, err) -> err.getCause() == null ? err : err.getCause())
                .get(5, TimeUnit.SECONDS);
    assertEquals(DnsUpdateException.Kind.PREREQUISITE_FAILED, e.kind(), "expected is stale");

    Propagation p = await(dns.awaitPropagation(zone, one));
    assertTrue(p.complete());
  }

  @Test
  void zoneNotEmbeddedHereIsAProtocolError(Vertx vertx) throws Exception {
    QuorateConfig cfg = ZoneStoreTest.config();
    EmbeddedProvider dns = new EmbeddedProvider(vertx, new ZoneStore(cfg, MutableClock.start()));
    DnsZone other =
        new DnsZone(
            "other.test",
            null,
            null,
            List.of(),
            null,
            1000,
            1000,
            DnsZone.Provider.EMBEDDED,
            cfg.zones().get(0).embedded());
    Throwable t =
        dns.read(other, "www.other.test", "A")
            .toCompletionStage()
            .toCompletableFuture()
            .handle((ok, err) -> err)
            .get(5, TimeUnit.SECONDS);
    Throwable cause = t.getCause() == null ? t : t.getCause();
    assertEquals(DnsUpdateException.Kind.PROTOCOL, ((DnsUpdateException) cause).kind());
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
