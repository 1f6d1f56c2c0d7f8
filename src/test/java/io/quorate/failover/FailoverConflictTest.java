package io.quorate.failover;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.agent.QuorumService;
import io.quorate.config.ConfigLoader;
import io.quorate.config.DnsZone;
import io.quorate.config.QuorateConfig;
import io.quorate.dns.DnsProvider;
import io.quorate.dns.DnsUpdateException;
import io.quorate.dns.Propagation;
import io.quorate.dns.UpdateResult;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Vote;
import io.quorate.store.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A primary that refuses every prerequisite (another writer fighting, or a server that never
 * accepts ours) must not be hammered: two immediate re-reads, then backoff. A case no real server
 * produces on demand, so the provider is a fake here.
 */
class FailoverConflictTest {

  @Test
  void endlessPrerequisiteConflictsBackOff() throws Exception {
    String yaml =
        String.join(
            "\n",
            "regions: [solo]",
            "targets: [{id: t, type: tcp, address: 127.0.0.1, port: 9}]",
            "zones: [{zone: example.test, primary: '127.0.0.1:53',"
                + " tsig: {name: k, secret: '${env:TSIG}'}}]",
            "pools:",
            "  - {id: www, zone: example.test, name: rr.example.test, type: A,"
                + " members: [{id: m, value: 127.0.0.11, target: t}]}",
            "");
    QuorateConfig cfg =
        new ConfigLoader(Map.of("TSIG", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3")::get)
            .parseShared(yaml, "test");
    AtomicInteger applies = new AtomicInteger();
    DnsProvider fighting =
        new DnsProvider() {
          @Override
          public Future<RRset> read(DnsZone zone, String name, String type) {
            return Future.succeededFuture(new RRset(name, type, 60, Set.of("127.0.0.99")));
          }

          @Override
          public Future<UpdateResult> apply(DnsZone zone, ChangePlan plan) {
            applies.incrementAndGet();
            return Future.failedFuture(
                new DnsUpdateException(
                    DnsUpdateException.Kind.PREREQUISITE_FAILED, 8, 0, "NXRRSET"));
          }

          @Override
          public Future<Propagation> awaitPropagation(DnsZone zone, RRset desired) {
            return Future.succeededFuture(new Propagation(true, Map.of(), 0));
          }
        };
    Vertx vertx = Vertx.vertx();
    try {
      Clock clock = Clock.systemUTC();
      QuorumService quorum = new QuorumService(vertx, cfg, "solo", clock, 0, c -> {}, g -> {});
      quorum.start();
      quorum.vote(
          new Vote("solo", "t", Status.UP, Instant.now(), 1, Instant.now(), Outcome.UP, null, ""));
      FailoverExecutor failover =
          new FailoverExecutor(
              vertx,
              cfg,
              "solo",
              clock,
              quorum,
              fighting,
              new AuditLog(100),
              new FailoverMetrics(new SimpleMeterRegistry(), "solo"),
              (k, d) -> {});
      await(vertx.timer(300)); // let the vote reach the gate's context
      await(failover.operate("www", "reconcile", null, "test"));
      // a measurement window: without backoff this loop would send hundreds of UPDATEs
      await(vertx.timer(2_000));
      int n = applies.get();
      assertTrue(n >= 2 && n <= 6, "UPDATEs sent in 2 s of endless conflicts: " + n);
    } finally {
      await(vertx.close());
    }
  }
}
