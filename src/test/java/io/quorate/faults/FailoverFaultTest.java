package io.quorate.faults;

import static io.quorate.faults.Contract.live;
import static io.quorate.faults.Contract.quorate;
import static io.quorate.faults.Contract.regions;
import static io.quorate.faults.Contract.writerRank;
import static io.quorate.faults.FailoverLab.DNS;
import static io.quorate.faults.FailoverLab.HOLD_DOWN_MS;
import static io.quorate.faults.FailoverLab.fullSet;
import static io.quorate.faults.FailoverLab.without;
import static io.quorate.testsupport.QuorateCluster.PEER_FRESHNESS_MS;
import static io.quorate.testsupport.QuorateCluster.STANDBY_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.NetnsFaults.UpdateHalf;
import io.quorate.testsupport.NetnsZoneWatcher.Observation;
import io.quorate.testsupport.Poll;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RELIABILITY.md scenarios 1, 4 and 6 with three real agents, BIND 9 and nginx members, each in
 * network namespaces: a member really down is removed within the stated bound and returns only
 * after rise and hold-down; a region cut from its peers never writes although it reaches DNS; a
 * writer killed during its UPDATE leaves a consistent zone and no second change. The watcher of
 * {@link FailoverFaultBase} holds every test to "never empty, every change audited".
 */
@Timeout(240)
class FailoverFaultTest extends FailoverFaultBase {

  /** Scenario 1: a member really down, then up again. */
  @Test
  void memberDownRemovedWithinBoundAndReAddedOnlyAfterRiseAndHoldDown() {
    assertEquals(0, writerRank(regions(api(EU))), "eu-west writes");
    long stoppedAt = System.currentTimeMillis();
    f.stopMember("web-2");
    Observation removed = awaitRRset(without("web-2"), LONG, "web-2 removed");
    long removalMs = removed.atMs() - stoppedAt;
    JsonObject down = PoolContract.verdict(api(EU), "web-2");
    LOG.info(
        "failover-fault scenario=1 removalMs={} boundMs={} detectionBoundMs={}",
        removalMs,
        REMOVE_BOUND.toMillis(),
        down.getLong("detectionBoundMs"));
    assertTrue(removalMs <= REMOVE_BOUND.toMillis(), "removed after " + removalMs + " ms");
    trail.collect();
    List<AuditTrail.Entry> removal = trail.applied(without("web-2"));
    assertEquals(1, removal.size(), "one applied update for the removal: " + removal);
    assertEquals("agent:" + EU, removal.get(0).actor());

    long startedAt = System.currentTimeMillis();
    f.startMember("web-2");
    Observation back = awaitRRset(fullSet(), LONG, "web-2 re-added");
    trail.collect();
    AuditTrail.Entry readd = trail.applied(fullSet()).get(0);
    JsonObject up = PoolContract.verdict(api(readd.region()), "web-2");
    assertEquals("UP", PoolContract.state(up));
    long upAt = Instant.parse(up.getString("since")).toEpochMilli();
    LOG.info(
        "failover-fault scenario=1 readdAfterStartMs={} readdAfterVerdictUpMs={} holdDownMs={}",
        back.atMs() - startedAt,
        back.atMs() - upAt,
        HOLD_DOWN_MS);
    assertTrue(upAt >= startedAt, "verdict UP before nginx started: " + up.encode());
    // the watcher's time is when the answer had arrived: never earlier than the write
    assertTrue(
        back.atMs() - upAt >= HOLD_DOWN_MS,
        "re-added " + (back.atMs() - upAt) + " ms after its verdict turned UP: " + up.encode());
    assertEquals(2, watcher.changes().size(), watcher.changes().toString());
  }

  /** Scenario 4: a region cut from its peers but still reaching DNS must not write. */
  @Test
  void regionCutFromPeersButReachingDnsNeverWritesWhileMajorityFailsOver() {
    f.lab.faults().cut(EU, List.of(US, AP));
    Poll.until(
        PEER_BOUND,
        "eu-west not quorate, writerRank -1",
        () -> regions(api(EU)),
        j -> !quorate(j) && writerRank(j) == -1);
    for (String r : List.of(US, AP)) {
      Poll.until(
          PEER_BOUND,
          r + " quorate without eu-west",
          () -> regions(api(r)),
          j -> quorate(j) && !live(j, EU));
    }
    assertEquals(0, writerRank(regions(api(US))), "us-east writes now");
    long cutAt = System.currentTimeMillis();
    f.stopMember("web-1");
    awaitRRset(without("web-1"), LONG, "the majority removes web-1");
    LOG.info("failover-fault scenario=4 removalMs={}", since(cutAt));
    // eu-west reads the new RRset too (it reaches BIND) and still must not act on it
    Poll.until(
        LONG,
        "eu-west reads the majority's RRset",
        () -> PoolContract.pool(api(EU)),
        p -> without("web-1").equals(PoolContract.actual(p)));
    assertNoChangeFor(Duration.ofMillis(STANDBY_MS * 3 + 2000), "no change after the failover");
    trail.collect();
    assertEquals(List.of(), trail.of(EU, "update", null), "eu-west never sent an update");
    // without a quorum eu-west's verdicts are UNKNOWN, so it plans nothing; were it to plan a
    // change, the gate must defer it as not quorate
    List<AuditTrail.Entry> euPlans = trail.of(EU, "plan", null);
    for (AuditTrail.Entry e : euPlans) {
      assertTrue(
          e.is("plan", "deferred") && String.join(" ", e.reasons()).contains("not quorate"),
          "eu-west plan entry not refused for want of a quorum: " + e);
    }
    JsonObject euPool = PoolContract.pool(api(EU));
    assertTrue(
        !euPlans.isEmpty()
            || ("NOOP".equals(euPool.getString("decision"))
                && String.join(" ", PoolContract.reasons(euPool)).contains("UNKNOWN")),
        "eu-west neither deferred as not quorate nor NOOP on UNKNOWN verdicts: " + euPool.encode());
    LOG.info(
        "failover-fault scenario=4 euPlanEntries={} euDecision={} euReasons={}",
        euPlans.size(),
        euPool.getString("decision"),
        PoolContract.reasons(euPool));
    List<AuditTrail.Entry> applied = trail.of("update", "applied");
    assertEquals(1, applied.size(), applied.toString());
    assertEquals("agent:" + US, applied.get(0).actor());
  }

  /** Scenario 6a: the writer dies while its UPDATE is on the wire (never reaching BIND). */
  @Test
  void writerKilledBeforeItsUpdateArrivesNextRankWritesOnce() {
    f.lab.faults().dropDnsUpdates(DNS, EU, UpdateHalf.REQUESTS);
    long stoppedAt = System.currentTimeMillis();
    f.stopMember("web-3");
    Poll.until(LONG, "eu-west's UPDATE in flight", () -> f.lab.faults().dropped(DNS), n -> n > 0);
    cluster.kill9(EU);
    assertEquals(fullSet(), watcher.current().values(), "eu-west's UPDATE never arrived");
    awaitRRset(without("web-3"), LONG, "the next rank removes web-3");
    LOG.info("failover-fault scenario=6a removalMs={}", since(stoppedAt));
    assertNoChangeFor(Duration.ofMillis(PEER_FRESHNESS_MS + 3000), "one change only");
    trail.collect();
    List<AuditTrail.Entry> applied = trail.applied(without("web-3"));
    assertEquals(1, applied.size(), "exactly one applied update: " + applied);
    assertTrue(Set.of("agent:" + US, "agent:" + AP).contains(applied.get(0).actor()));
    assertEquals(1, watcher.changes().size(), watcher.changes().toString());
  }

  /**
   * Scenario 6b: BIND answers the writer's UPDATE, the writer dies before the answer arrives.
   * Mostly BIND had applied it (the crashed writer's change, whose audit entry died with it); when
   * eu-west was slower than us-east's standby, us-east wrote first and BIND refused eu-west's stale
   * prerequisite (the answer dropped was that refusal). Either way: one change, never two.
   */
  @Test
  void writerKilledAfterBindAnsweredItsUpdateCausesNoSecondChange() {
    f.lab.faults().dropDnsUpdates(DNS, EU, UpdateHalf.ANSWERS);
    long stoppedAt = System.currentTimeMillis();
    f.stopMember("web-3");
    Poll.until(
        LONG, "BIND answered eu-west's UPDATE", () -> f.lab.faults().dropped(DNS), n -> n > 0);
    cluster.kill9(EU);
    awaitRRset(without("web-3"), LONG, "web-3 removed");
    LOG.info("failover-fault scenario=6b removalMs={}", since(stoppedAt));
    // the next rank re-reads after its standby and finds DNS as planned: nothing to write
    assertNoChangeFor(
        Duration.ofMillis(PEER_FRESHNESS_MS + STANDBY_MS * 2 + 3000), "no second change");
    trail.collect();
    List<AuditTrail.Entry> applied = trail.of("update", "applied");
    if (applied.isEmpty()) {
      crashedWrites.add(without("web-3")); // eu-west's: its in-memory audit died with it
    } else {
      assertEquals(1, applied.size(), applied.toString());
      assertTrue(Set.of("agent:" + US, "agent:" + AP).contains(applied.get(0).actor()));
    }
    LOG.info(
        "failover-fault scenario=6b path={} conflicts={}",
        applied.isEmpty() ? "crashed-writer-applied" : "stale-writer-refused",
        trail.of("update", "conflict"));
    for (String r : List.of(US, AP)) {
      Poll.until(
          LONG,
          r + " reads the zone as desired, nothing to do",
          () -> PoolContract.pool(api(r)),
          p ->
              without("web-3").equals(PoolContract.actual(p))
                  && "NOOP".equals(p.getString("decision")));
    }
    assertEquals(1, watcher.changes().size(), watcher.changes().toString());
  }

  static final Duration PEER_BOUND = Duration.ofMillis(PEER_FRESHNESS_MS + 5000);
}
