package io.quorate.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Target;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The invariants the simulation checks after every step, against {@link SimOracle}. */
final class SimChecker {
  private final QuorumSimulation sim;

  SimChecker(QuorumSimulation sim) {
    this.sim = sim;
  }

  void check(int step, Map<String, Verdict> before, List<VerdictChange> out) {
    Map<String, VerdictChange> reported = new HashMap<>();
    for (VerdictChange c : out) {
      String id = c.after().targetId();
      assertTrue(
          reported.put(id, c) == null, () -> at(step, id) + "one change per target per step");
    }
    Instant now = sim.clock.instant();
    for (Target t : sim.config.targets()) {
      checkTarget(step, t, before.get(t.id()), reported.get(t.id()), now);
    }
    for (QuorumSimulation.Region r : sim.regions) {
      boolean abstains = sim.oracle.abstains(r.id, now);
      sim.abstentions += abstains ? 1 : 0;
      assertEquals(abstains, sim.engine.abstains(r.id), () -> at(step, r.id) + "abstention");
    }
  }

  private void checkTarget(int step, Target t, Verdict p, VerdictChange change, Instant now) {
    Supplier<String> where = () -> at(step, t.id());
    Verdict v = sim.engine.verdict(t.id());
    if (sim.lagging.contains(t.id())) {
      // Not re-evaluated since a reference vote arrived through accept(): untouched.
      assertEquals(p, v, () -> where.get() + "lagging target unchanged");
      assertEquals(null, change, () -> where.get() + "lagging target: no change");
      return;
    }
    int q = sim.config.quorumFor(t);
    SimOracle.Tally n = sim.oracle.tally(t, now);
    VoteCounts c = VoteCounts.of(v.votes());
    assertEquals(
        List.of(n.up(), n.down(), n.degraded()),
        List.of(c.up(), c.down(), c.degraded()),
        () -> where.get() + "engine counts the same votes as the oracle");
    // UNKNOWN whenever fewer than q votes count.
    if (n.counting() < q) {
      assertEquals(Status.UNKNOWN, v.state(), () -> where.get() + "UNKNOWN below quorum");
    }
    boolean changed = v.state() != p.state();
    if (changed) {
      // No change without q fresh counting votes behind the new state.
      if (v.state() != Status.UNKNOWN) {
        assertTrue(
            n.support(v.state()) >= q, () -> where.get() + "change to " + v.state() + " with " + n);
        // A faulty minority alone never flips a verdict.
        assertTrue(
            n.healthySupport(v.state()) >= 1, () -> where.get() + "only tainted votes: " + n);
      }
      assertEquals(p.transition() + 1, v.transition(), () -> where.get() + "transition +1");
      assertEquals(now, v.since(), () -> where.get() + "since = now");
      assertEquals(new VerdictChange(p, v), change, () -> where.get() + "change reported");
      sim.changes++;
      sim.seen.add(v.state());
    } else {
      assertEquals(
          p.transition(), v.transition(), () -> where.get() + "no change, same transition");
      assertEquals(null, change, () -> where.get() + "no change reported");
    }
    // The rule, restated: a split keeps the previous state and is marked contested.
    Status rule = expected(n, q);
    assertEquals(rule == null ? p.state() : rule, v.state(), () -> where.get() + "rule " + n);
    assertEquals(rule == null, v.contested(), () -> where.get() + "contested " + n);
    sim.contested += v.contested() ? 1 : 0;
    checkHealthyMajority(where, v, n, q);
  }

  private static Status expected(SimOracle.Tally n, int q) {
    if (n.counting() < q) {
      return Status.UNKNOWN;
    }
    for (Status s : List.of(Status.DOWN, Status.DEGRADED, Status.UP)) {
      if (n.support(s) >= q) {
        return s;
      }
    }
    return null;
  }

  /** What at least q healthy regions agree on, the verdict says, whatever the others vote. */
  private static void checkHealthyMajority(
      Supplier<String> where, Verdict v, SimOracle.Tally n, int q) {
    if (n.healthyDown() >= q) {
      assertEquals(Status.DOWN, v.state(), () -> where.get() + "healthy majority DOWN " + n);
    }
    if (n.healthyUp() + n.healthyDeg() >= q) {
      assertTrue(
          v.state() == Status.UP || v.state() == Status.DEGRADED,
          () -> where.get() + "healthy majority UP/DEGRADED, got " + v.state() + " " + n);
    }
    if (n.healthyUp() >= q) {
      assertEquals(Status.UP, v.state(), () -> where.get() + "healthy majority UP " + n);
    }
    if (n.healthyDeg() >= q) {
      assertEquals(
          Status.DEGRADED, v.state(), () -> where.get() + "healthy majority DEGRADED " + n);
    }
  }

  private String at(int step, String what) {
    return "step " + step + " t=" + sim.clock.instant() + " " + what + ": ";
  }
}
