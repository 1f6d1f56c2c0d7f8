package io.quorate.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Pool;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.testsupport.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random pools driven by random verdict sequences, operator actions and time, with every written
 * plan applied: the planned RRset is never empty, holds only configured member values (one for a
 * CNAME), an empty name is always restored, UNKNOWN members are left as they are, and drained
 * members stay out unless the pool fails open. Seeds are fixed, so a failure replays.
 */
class PlannerPropertyTest {
  private static final String[] TYPES = {"A", "CNAME", "MX"};
  private static final int STEPS = 150;

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void plannedRRsetIsNeverEmptyAndOnlyMemberValues(long seed) {
    Random rnd = new Random(seed);
    Pool pool = randomPool(rnd);
    Set<String> memberValues =
        pool.members().stream().map(Pool.Member::value).collect(Collectors.toSet());
    MutableClock clock = new MutableClock(PoolFixtures.T0);
    PoolState state = new PoolState(pool, clock);
    FailoverPlanner planner = new FailoverPlanner();
    RRset current = randomCurrent(rnd, pool);
    Map<String, Verdict> verdicts = new HashMap<>();

    for (int step = 0; step < STEPS; step++) {
      clock.advanceMs(rnd.nextInt(60_000));
      changeVerdicts(rnd, pool, verdicts, state, clock.instant());
      operate(rnd, pool, state);
      ChangePlan plan = planner.plan(pool, Map.copyOf(verdicts), current, state, clock.instant());
      String where = "seed " + seed + " step " + step + "\n" + String.join("\n", plan.reasons());

      assertEquals(current, plan.expected(), where);
      if (plan.kind() != ChangePlan.Kind.CHANGE) {
        assertEquals(current, plan.desired(), where);
        assertFalse(
            current.isEmpty() && !state.paused() && state.frozen().isEmpty(),
            "an empty name is always restored: " + where);
      } else {
        checkChange(pool, memberValues, plan, state, verdicts, where);
      }
      if (plan.writes()) {
        state.recordApplied(plan);
        current = plan.desired();
      }
    }
  }

  private static void checkChange(
      Pool pool,
      Set<String> memberValues,
      ChangePlan plan,
      PoolState state,
      Map<String, Verdict> verdicts,
      String where) {
    Set<String> desired = plan.desired().values();
    assertFalse(desired.isEmpty(), "never empty: " + where);
    assertTrue(memberValues.containsAll(desired), "only member values: " + where);
    assertEquals(pool.ttl(), plan.desired().ttl(), where);
    if (pool.type().equals("CNAME")) {
      assertEquals(1, desired.size(), "a CNAME is one record: " + where);
    }
    Set<String> served = FailoverPlanner.canonical(pool.type(), plan.expected().values());
    boolean failOpen = FailoverPlanner.failsOpen(plan);
    for (Pool.Member m : pool.members()) {
      boolean in = served.contains(m.value());
      boolean out = desired.contains(m.value());
      if (state.drained().contains(m.id())) {
        assertTrue(!out || failOpen, "drained stays out: " + m.id() + " " + where);
        continue;
      }
      Verdict v = verdicts.get(m.target());
      boolean unknown = v == null || v.state() == Status.UNKNOWN;
      if (unknown && in && !pool.type().equals("CNAME")) {
        assertTrue(out, "UNKNOWN and served stays: " + m.id() + " " + where);
      }
      if (unknown && !in && !failOpen) {
        assertFalse(out, "UNKNOWN and not served stays out: " + m.id() + " " + where);
      }
    }
  }

  private static Pool randomPool(Random rnd) {
    String type = TYPES[rnd.nextInt(TYPES.length)];
    int n = 1 + rnd.nextInt(5);
    List<Pool.Member> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String value =
          switch (type) {
            case "A" -> "10.0.0." + (i + 1);
            case "CNAME" -> "m" + i + ".example.test";
            default -> (10 * (i + 1)) + " mx" + i + ".example.test";
          };
      Pool.Role role = i == 0 || rnd.nextBoolean() ? Pool.Role.PRIMARY : Pool.Role.BACKUP;
      members.add(new Pool.Member("m" + i, value, "t" + i, role, rnd.nextInt(8) == 0));
    }
    int min = type.equals("CNAME") ? 1 : 1 + rnd.nextInt(n);
    return new Pool(
        "p",
        "example.test",
        "p.example.test",
        type,
        60,
        members,
        min,
        1 + rnd.nextInt(5),
        600_000,
        new long[] {0, 5_000, 30_000}[rnd.nextInt(3)],
        2 + rnd.nextInt(5),
        300_000,
        rnd.nextBoolean() ? Pool.Failback.AUTO : Pool.Failback.MANUAL,
        rnd.nextBoolean(),
        false);
  }

  /** A random subset of the member values, sometimes with a stranger, sometimes empty. */
  private static RRset randomCurrent(Random rnd, Pool pool) {
    Set<String> values = new HashSet<>();
    for (Pool.Member m : pool.members()) {
      if (rnd.nextBoolean()) {
        values.add(m.value());
      }
    }
    if (rnd.nextInt(4) == 0) {
      values.add(pool.type().equals("A") ? "192.0.2.1" : "10 stranger.example.test");
    }
    return new RRset(pool.name(), pool.type(), rnd.nextBoolean() ? 60 : 300, values);
  }

  /** Each target's verdict changes with probability 1/3; one in five changes removes it. */
  private static void changeVerdicts(
      Random rnd, Pool pool, Map<String, Verdict> verdicts, PoolState state, Instant now) {
    Status[] all = Status.values();
    for (Pool.Member m : pool.members()) {
      if (rnd.nextInt(3) != 0) {
        continue;
      }
      if (rnd.nextInt(5) == 0) {
        verdicts.remove(m.target());
        continue;
      }
      Status s = all[rnd.nextInt(all.length)];
      Verdict v = PoolFixtures.verdict(m.target(), s, now);
      verdicts.put(m.target(), v);
      state.recordVerdict(v);
    }
  }

  private static void operate(Random rnd, Pool pool, PoolState state) {
    String member = pool.members().get(rnd.nextInt(pool.members().size())).id();
    switch (rnd.nextInt(40)) {
      case 0 -> state.drain(member);
      case 1, 2 -> state.undrain(member);
      case 3 -> state.release();
      case 4, 5, 6 -> state.resume();
      case 7 -> state.pause();
      default -> {
        // most steps: no operator
      }
    }
  }
}
