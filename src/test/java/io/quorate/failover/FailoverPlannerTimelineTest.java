package io.quorate.failover;

import static io.quorate.failover.PoolFixtures.T0;
import static io.quorate.failover.PoolFixtures.rails;
import static io.quorate.failover.PoolFixtures.rr;
import static io.quorate.failover.PoolFixtures.verdict;
import static io.quorate.failover.PoolFixtures.verdicts;
import static io.quorate.failover.PoolFixtures.web;
import static io.quorate.failover.PoolFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Pool;
import io.quorate.failover.ChangePlan.Kind;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.testsupport.MutableClock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rules that need time or state: hold-down, manual fail-back, rate limit, freeze, pause, dry run.
 */
class FailoverPlannerTimelineTest {
  private final MutableClock clock = new MutableClock(T0);
  private final FailoverPlanner planner = new FailoverPlanner();
  private static final Set<String> ALL = Set.of("127.0.0.11", "127.0.0.12", "127.0.0.13");

  private ChangePlan plan(Pool pool, Map<String, Verdict> v, RRset current, PoolState state) {
    return planner.plan(pool, v, current, state, clock.instant());
  }

  /** Plans, checks it is a written change, records it; returns the new current RRset. */
  private RRset apply(Pool pool, Map<String, Verdict> v, RRset current, PoolState state) {
    ChangePlan plan = plan(pool, v, current, state);
    assertEquals(Kind.CHANGE, plan.kind(), String.join("\n", plan.reasons()));
    state.recordApplied(plan);
    return plan.desired();
  }

  private Map<String, Verdict> allUpBut(String target, Status s) {
    Map<String, Verdict> v = new HashMap<>(verdicts("web-1=UP", "web-2=UP", "web-3=UP"));
    v.put("standby", verdict("standby", Status.UP, PoolFixtures.LONG_AGO));
    v.put(target, verdict(target, s, clock.instant()));
    return v;
  }

  @Test
  void recoveredMemberReturnsAfterHoldDownAndNotBefore() {
    Pool pool = web();
    PoolState state = new PoolState(pool, clock);
    RRset current =
        apply(
            pool,
            allUpBut("web-2", Status.DOWN),
            rr(pool, "127.0.0.11", "127.0.0.12", "127.0.0.13"),
            state);
    assertEquals(Set.of("127.0.0.11", "127.0.0.13"), current.values());

    clock.advanceMs(5_000);
    Map<String, Verdict> up = allUpBut("web-2", Status.UP);
    state.recordVerdict(up.get("web-2"));
    clock.advanceMs(29_999);
    ChangePlan early = plan(pool, up, current, state);
    assertEquals(Kind.NOOP, early.kind());
    assertTrue(
        early
            .reasons()
            .contains(
                "web-2 (primary, 127.0.0.12): UP for 29999 ms, in hold-down until 30000 ms; stays out"),
        String.join("\n", early.reasons()));

    clock.advanceMs(1);
    ChangePlan back = plan(pool, up, current, state);
    assertEquals(Kind.CHANGE, back.kind());
    assertEquals(ALL, back.desired().values());
  }

  @Test
  void holdDownCountsFromFirstBecomingUpAcrossDegradedAndUp() {
    Pool pool = web();
    PoolState state = new PoolState(pool, clock);
    state.recordVerdict(verdict("web-2", Status.DEGRADED, clock.instant()));
    clock.advanceMs(20_000);
    Map<String, Verdict> up = allUpBut("web-2", Status.UP); // the verdict's since is now
    state.recordVerdict(up.get("web-2"));
    clock.advanceMs(10_000);
    ChangePlan plan = plan(pool, up, rr(pool, "127.0.0.11", "127.0.0.13"), state);
    assertEquals(ALL, plan.desired().values(), "up for 30 s (DEGRADED, then UP)");
  }

  @Test
  void holdDownDelaysReturnsNotRemovals() {
    Pool pool = web();
    PoolState state = new PoolState(pool, clock);
    Map<String, Verdict> v = allUpBut("web-2", Status.UP); // UP since just now
    assertEquals(
        Kind.NOOP,
        plan(pool, v, rr(pool, "127.0.0.11", "127.0.0.12", "127.0.0.13"), state).kind(),
        "a member in the RRset stays while up");
    v = allUpBut("web-2", Status.DOWN);
    assertEquals(
        Set.of("127.0.0.11", "127.0.0.13"),
        plan(pool, v, rr(pool, "127.0.0.11", "127.0.0.12", "127.0.0.13"), state).desired().values(),
        "removal is immediate");
  }

  @Test
  void manualFailbackStaysOnBackupsUntilReleased() {
    Pool pool = with(web(), rails().manual());
    PoolState state = new PoolState(pool, clock);
    Map<String, Verdict> primariesDown =
        verdicts("web-1=DOWN", "web-2=DOWN", "web-3=DOWN", "standby=UP");
    RRset current =
        apply(pool, primariesDown, rr(pool, "127.0.0.11", "127.0.0.12", "127.0.0.13"), state);
    assertEquals(Set.of("127.0.0.20"), current.values());
    assertTrue(state.pinned());

    clock.advanceMs(3_600_000);
    Map<String, Verdict> allUp = verdicts("web-1=UP", "web-2=UP", "web-3=UP", "standby=UP");
    ChangePlan held = plan(pool, allUp, current, state);
    assertEquals(Kind.NOOP, held.kind(), "primaries recovered long ago, but pinned");
    assertTrue(
        held.reasons()
            .contains("failback manual: pinned on backups until an operator releases the pool"));

    assertTrue(state.release());
    assertFalse(state.release(), "once");
    current = apply(pool, allUp, current, state);
    assertEquals(ALL, current.values());
    assertFalse(state.pinned());
    assertFalse(state.released(), "the release ends when the pool leaves the backups");
  }

  @Test
  void manualPinIsSeenInDnsAfterARestart() {
    Pool pool = with(web(), rails().manual());
    PoolState fresh = new PoolState(pool, clock);
    Map<String, Verdict> allUp = verdicts("web-1=UP", "web-2=UP", "web-3=UP", "standby=UP");
    assertEquals(Kind.NOOP, plan(pool, allUp, rr(pool, "127.0.0.20"), fresh).kind());

    Map<String, Verdict> backupDown = verdicts("web-1=UP", "web-2=UP", "web-3=UP", "standby=DOWN");
    ChangePlan plan = plan(pool, backupDown, rr(pool, "127.0.0.20"), fresh);
    assertEquals(ALL, plan.desired().values(), "pinned, but no backup is up: primaries serve");
  }

  @Test
  void autoFailbackReturnsToPrimaries() {
    Pool pool = web();
    PoolState state = new PoolState(pool, clock);
    Map<String, Verdict> allUp = verdicts("web-1=UP", "web-2=UP", "web-3=UP", "standby=UP");
    assertEquals(ALL, plan(pool, allUp, rr(pool, "127.0.0.20"), state).desired().values());
    assertFalse(state.release(), "nothing to release in an auto pool");
  }

  @Test
  void rateLimitBlocksThenTheWindowPasses() {
    Pool pool = with(web(), rails().maxChanges(2).flap(100));
    PoolState state = new PoolState(pool, clock);
    RRset current = rr(pool, "127.0.0.11", "127.0.0.12", "127.0.0.13");
    current = apply(pool, allUpBut("web-1", Status.DOWN), current, state);
    clock.advanceMs(60_000);
    current = apply(pool, verdicts("web-1=UP", "web-2=DOWN", "web-3=UP"), current, state);
    clock.advanceMs(60_000);
    Map<String, Verdict> third = verdicts("web-1=UP", "web-2=UP", "web-3=DOWN");
    ChangePlan blocked = plan(pool, third, current, state);
    assertEquals(Kind.BLOCKED, blocked.kind());
    assertEquals("rate-limit", blocked.blockedBy());
    assertEquals(current, blocked.desired(), "BLOCKED keeps desired = expected");
    assertTrue(
        blocked
            .reasons()
            .contains("rate limit: 2 change(s) within 3600000 ms (maxChangesPerWindow 2)"));
    assertTrue(
        blocked.reasons().get(blocked.reasons().size() - 1).startsWith("rate-limit: would change"));

    // the window is (now - windowMs, now]: the first change leaves it exactly 1 h after it
    clock.advanceMs(3_600_000 - 120_000 - 1);
    assertEquals(Kind.BLOCKED, plan(pool, third, current, state).kind(), "1 ms before");
    clock.advanceMs(1);
    assertEquals(Kind.CHANGE, plan(pool, third, current, state).kind());
  }

  @Test
  void rateLimitNeverKeepsANameEmpty() {
    Pool pool = with(web(), rails().maxChanges(1));
    PoolState state = new PoolState(pool, clock);
    apply(
        pool,
        allUpBut("web-1", Status.DOWN),
        rr(pool, "127.0.0.11", "127.0.0.12", "127.0.0.13"),
        state);
    ChangePlan plan = plan(pool, allUpBut("web-1", Status.DOWN), rr(pool), state);
    assertEquals(Kind.CHANGE, plan.kind(), "someone emptied the name: restore it");
    assertEquals(Set.of("127.0.0.12", "127.0.0.13"), plan.desired().values());
  }

  @Test
  void pausedAndFrozenPoolsAreBlocked() {
    Pool pool = with(web(), rails().flap(2));
    PoolState state = new PoolState(pool, clock);
    RRset current = rr(pool, "127.0.0.11", "127.0.0.12", "127.0.0.13");
    Map<String, Verdict> oneDown = allUpBut("web-1", Status.DOWN);
    assertTrue(state.pause());
    ChangePlan paused = plan(pool, oneDown, current, state);
    assertEquals(Kind.BLOCKED, paused.kind());
    assertEquals("paused", paused.blockedBy());
    assertEquals(current, paused.desired());
    assertTrue(state.resume());

    for (String down : new String[] {"web-1", "web-2", "web-3"}) {
      current = apply(pool, allUpBut(down, Status.DOWN), current, state);
      clock.advanceMs(1_000);
    }
    assertTrue(state.frozen().isPresent(), "3 changes > flapChanges 2");
    ChangePlan frozen = plan(pool, allUpBut("web-2", Status.DOWN), current, state);
    assertEquals(Kind.BLOCKED, frozen.kind());
    assertEquals("frozen", frozen.blockedBy());
    assertTrue(frozen.reasons().stream().anyMatch(r -> r.startsWith("frozen since ")));
    state.resume();
    assertEquals(Kind.CHANGE, plan(pool, allUpBut("web-2", Status.DOWN), current, state).kind());
  }

  @Test
  void dryRunPlansInFullButIsNotWritten() {
    Pool pool = with(web(), rails().dryRun());
    PoolState state = new PoolState(pool, clock);
    ChangePlan plan =
        plan(
            pool,
            allUpBut("web-1", Status.DOWN),
            rr(pool, "127.0.0.11", "127.0.0.12", "127.0.0.13"),
            state);
    assertEquals(Kind.CHANGE, plan.kind());
    assertEquals("dry-run", plan.blockedBy());
    assertFalse(plan.writes());
    assertEquals(Set.of("127.0.0.12", "127.0.0.13"), plan.desired().values());
    assertThrows(IllegalArgumentException.class, () -> state.recordApplied(plan));
  }

  @Test
  void ttlAloneIsAChangeOnlyWhenItDiffersFromThePool() {
    Pool pool = web();
    PoolState state = new PoolState(pool, clock);
    Map<String, Verdict> up = verdicts("web-1=UP", "web-2=UP", "web-3=UP");
    RRset ttl300 = new RRset(pool.name(), "A", 300, ALL);
    ChangePlan plan = plan(pool, up, ttl300, state);
    assertEquals(Kind.CHANGE, plan.kind());
    assertEquals(60, plan.desired().ttl());
    assertTrue(plan.reasons().contains("TTL 300 → 60"));
    assertEquals(Kind.NOOP, plan(pool, up, new RRset(pool.name(), "A", 60, ALL), state).kind());
  }

  @Test
  void anRRsetOfAnotherNameIsRefused() {
    Pool pool = web();
    PoolState state = new PoolState(pool, clock);
    RRset other = RRset.empty("www.example.test", "A");
    assertThrows(IllegalArgumentException.class, () -> plan(pool, Map.of(), other, state));
    RRset absolute = RRset.empty("RR.example.test.", "a");
    assertNull(plan(pool, Map.of(), absolute, state).blockedBy(), "same name, other spelling");
  }
}
