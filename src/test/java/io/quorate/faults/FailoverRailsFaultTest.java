package io.quorate.faults;

import static io.quorate.faults.FailoverLab.DNS;
import static io.quorate.faults.FailoverLab.FLAP_CHANGES;
import static io.quorate.faults.FailoverLab.HOLD_DOWN_MS;
import static io.quorate.faults.FailoverLab.MEMBERS;
import static io.quorate.faults.FailoverLab.REGIONS;
import static io.quorate.faults.FailoverLab.fullSet;
import static io.quorate.faults.FailoverLab.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.Poll;
import io.quorate.testsupport.QuorateCluster;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RELIABILITY.md scenarios 9, 10 and 11 on the failover lab: a flapping member freezes the pool
 * after a bounded number of changes and nothing changes while frozen; every member down fails open
 * to the full set; an unreachable primary or a wrong TSIG key leaves the zone untouched, with
 * {@code error} audit entries (backoff, kind) and the pool's {@code lastError}, and the change is
 * applied once the primary is back. The watcher of {@link FailoverFaultBase} holds every test to
 * "never empty, every change audited".
 */
@Timeout(300)
class FailoverRailsFaultTest extends FailoverFaultBase {
  /** Stop/start cycles at most: the freeze must come within them. */
  private static final int MAX_CYCLES = 4;

  /** Scenario 9: a member that keeps failing and recovering. */
  @Test
  void flappingMemberFreezesThePoolAfterBoundedChangesAndNothingChangesWhileFrozen() {
    for (int i = 0; i < MAX_CYCLES && !frozen(EU); i++) {
      f.stopMember("web-3");
      if (awaitOrFrozen(without("web-3"), "cycle " + i + ": web-3 removed")) {
        break;
      }
      f.startMember("web-3");
      awaitOrFrozen(fullSet(), "cycle " + i + ": web-3 back");
    }
    JsonObject pool =
        Poll.until(
            LONG,
            "pool www frozen on eu-west",
            () -> PoolContract.pool(api(EU)),
            PoolContract::frozen);
    // the freeze shows in the API as the freezing write lands; let the watcher see that write
    awaitRRset(PoolContract.actual(pool), Duration.ofSeconds(5), "the watcher sees the last write");
    int atFreeze = watcher.changes().size();
    LOG.info(
        "failover-fault scenario=9 changesAtFreeze={} reasons={}",
        atFreeze,
        PoolContract.reasons(pool));
    assertTrue(
        atFreeze > FLAP_CHANGES && atFreeze <= FLAP_CHANGES + 1,
        "froze after " + atFreeze + " changes (flapChanges " + FLAP_CHANGES + ")");
    // make DNS differ from what the verdicts want: any region not frozen would now write
    boolean published = watcher.current().values().contains(MEMBERS.get("web-3"));
    if (published == f.memberRunning("web-3")) {
      if (published) {
        f.stopMember("web-3");
      } else {
        f.startMember("web-3");
      }
    }
    assertNoChangeFor(
        Duration.ofMillis(DETECT_MS + HOLD_DOWN_MS + 2 * QuorateCluster.STANDBY_MS + 4000),
        "frozen: no region writes");
    trail.collect();
    List<AuditTrail.Entry> freezes = trail.of("freeze", null);
    LOG.info("failover-fault scenario=9 freezes={}", freezes);
    // every region counts every change (its own or observed) and freezes once, on its own log
    for (String r : REGIONS) {
      assertTrue(frozen(r), r + " is not frozen: " + PoolContract.pool(api(r)).encode());
      assertEquals(1, trail.of(r, "freeze", null).size(), r + ": one freeze entry: " + freezes);
    }
  }

  /** Scenario 10: every member down. */
  @Test
  void everyMemberDownFailsOpenToTheFullSetNeverEmpty() {
    long t0 = System.currentTimeMillis();
    MEMBERS.keySet().forEach(f::stopMember);
    for (String m : MEMBERS.keySet()) {
      Poll.until(
          LONG,
          "eu-west verdict " + m + " DOWN",
          () -> PoolContract.verdict(api(EU), m),
          v -> "DOWN".equals(PoolContract.state(v)));
    }
    JsonObject pool =
        Poll.until(
            LONG,
            "eu-west fails open with the full set",
            () -> PoolContract.pool(api(EU)),
            p ->
                fullSet().equals(PoolContract.actual(p))
                    && PoolContract.failsOpen(PoolContract.reasons(p)));
    awaitRRset(fullSet(), LONG, "full set served");
    LOG.info(
        "failover-fault scenario=10 failOpenAfterMs={} changes={} reasons={}",
        since(t0),
        watcher.changes().size(),
        PoolContract.reasons(pool));
    assertNoChangeFor(Duration.ofSeconds(5), "the full set stays while every member is down");
    assertTrue(watcher.changes().size() <= 2 * (MEMBERS.size() - 1), watcher.changes().toString());
    trail.collect();
    if (!watcher.changes().isEmpty()) {
      List<AuditTrail.Entry> restore = trail.applied(fullSet());
      assertEquals(1, restore.size(), restore.toString());
      assertTrue(PoolContract.failsOpen(restore.get(0).reasons()), restore.get(0).toString());
    }
  }

  /** Scenario 11a: the DNS primary unreachable, then back. */
  @Test
  void primaryUnreachableLeavesZoneUntouchedBacksOffAndAppliesAfterHeal() {
    f.lab.faults().cut(DNS, REGIONS);
    f.stopMember("web-1");
    List<AuditTrail.Entry> errors =
        Poll.until(
            Duration.ofSeconds(60),
            "three error entries on eu-west",
            () -> {
              trail.collect();
              return trail.of(EU, "update", "error");
            },
            l -> l.size() >= 3);
    JsonObject pool = PoolContract.pool(api(EU));
    assertNotNull(PoolContract.lastError(pool), pool.encode());
    List<Long> retries =
        errors.stream().map(e -> Long.parseLong(e.details().getString("retryInMs"))).toList();
    LOG.info(
        "failover-fault scenario=11a retryInMs={} lastError={}",
        retries,
        PoolContract.lastError(pool));
    for (int i = 1; i < retries.size(); i++) {
      assertTrue(retries.get(i) >= retries.get(i - 1), "backoff shrank: " + retries);
    }
    assertTrue(retries.get(retries.size() - 1) > retries.get(0), "no backoff: " + retries);
    errors.forEach(
        e -> assertTrue(String.join(" ", e.reasons()).contains("cannot be applied"), e.toString()));
    assertEquals(fullSet(), watcher.current().values(), "no partial state");
    assertEquals(List.of(), watcher.changes());
    long healedAt = System.currentTimeMillis();
    f.lab.faults().heal(DNS);
    awaitRRset(without("web-1"), LONG, "applied after the heal");
    LOG.info("failover-fault scenario=11a appliedAfterHealMs={}", since(healedAt));
    trail.collect();
    assertEquals(1, trail.applied(without("web-1")).size(), trail.all().toString());
  }

  /** Scenario 11b: the agents' TSIG key is wrong. */
  @Test
  void wrongTsigKeyIsNotAuthorizedAndTheZoneUnchanged() {
    cluster.close();
    cluster.env(FailoverLab.TSIG_ENV, FailoverLab.WRONG_SECRET);
    cluster.startAll();
    converge(false);
    f.stopMember("web-1");
    List<AuditTrail.Entry> errors =
        Poll.until(
            LONG,
            "NOT_AUTHORIZED error entries",
            () -> {
              trail.collect();
              return trail.of("update", "error");
            },
            l -> l.stream().anyMatch(e -> "NOT_AUTHORIZED".equals(e.details().getString("kind"))));
    assertNoChangeFor(Duration.ofSeconds(5), "zone unchanged");
    trail.collect();
    for (AuditTrail.Entry e : trail.of("update", "error")) {
      assertEquals("NOT_AUTHORIZED", e.details().getString("kind"), e.toString());
    }
    JsonObject pool = PoolContract.pool(api(EU));
    LOG.info(
        "failover-fault scenario=11b errors={} lastError={}",
        errors.size(),
        PoolContract.lastError(pool));
    assertTrue(
        String.valueOf(PoolContract.lastError(pool)).contains("NOT_AUTHORIZED"), pool.encode());
    assertEquals(fullSet(), watcher.current().values());
    assertEquals(List.of(), watcher.changes());
  }

  private boolean frozen(String region) {
    return PoolContract.frozen(PoolContract.pool(api(region)));
  }

  /** Waits for the RRset or the freeze; true when frozen. */
  private boolean awaitOrFrozen(java.util.Set<String> values, String what) {
    Poll.until(
        LONG,
        what + " (or the pool frozen)",
        () -> watcher.current().values().equals(values) || frozen(EU),
        b -> b);
    return frozen(EU);
  }
}
