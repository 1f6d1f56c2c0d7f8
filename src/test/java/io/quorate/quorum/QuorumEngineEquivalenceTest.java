package io.quorate.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.probe.Outcome;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random runs that hold the optimised {@link QuorumEngine} to {@link ReferenceQuorumEngine}
 * (the engine before issue 8): after every step (a vote through {@code accept} or {@code
 * acceptAll}, a sweep, the clock moving forward or back by whole or partial milliseconds) both
 * return the same changes, hold equal verdicts and agree on abstention. Votes include replays,
 * unknown regions and targets, receipts in the future, and UNKNOWN votes; configs include reference
 * targets (configured or not), group quorums and a repeated region id.
 */
class QuorumEngineEquivalenceTest {
  static final int STEPS = 3_000;
  static final Status[] STATUSES = {Status.UP, Status.DOWN, Status.DEGRADED, Status.UNKNOWN};

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 60);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sameVerdictsAsTheReferenceEngine(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    QuorateConfig config = config(rnd, seed);
    MutableClock clock = MutableClock.start();
    QuorumEngine engine = new QuorumEngine(config, clock);
    ReferenceQuorumEngine model = new ReferenceQuorumEngine(config, clock);
    long seq = 0;
    long changes = 0;
    for (int step = 0; step < STEPS; step++) {
      String at = "seed " + seed + " step " + step;
      int op = rnd.nextInt(100);
      if (op < 70) {
        Vote v = vote(rnd, config, clock, rnd.nextInt(10) == 0 ? seq - rnd.nextInt(20) : ++seq);
        if (rnd.nextBoolean()) {
          List<VerdictChange> got = engine.acceptAll(v);
          assertEquals(model.acceptAll(v), got, at);
          changes += got.size();
        } else {
          assertEquals(model.accept(v), engine.accept(v), at);
        }
      } else if (op < 85) {
        List<Verdict> before = engine.verdicts();
        List<Verdict> replaced = new ArrayList<>();
        List<VerdictChange> got = rnd.nextBoolean() ? engine.sweep(replaced::add) : engine.sweep();
        assertEquals(model.sweep(), got, at);
        changes += got.size();
        if (!replaced.isEmpty() || !got.isEmpty()) {
          checkReplaced(before, engine.verdicts(), replaced, got, at);
        }
      } else {
        long nanos = rnd.nextLong(0, 12_000_000_000L);
        clock.advance(Duration.ofNanos(rnd.nextInt(12) == 0 ? -nanos / 3 : nanos));
      }
      assertEquals(model.verdicts(), engine.verdicts(), at);
      for (String r : config.regions()) {
        assertEquals(model.abstains(r), engine.abstains(r), at + " region " + r);
      }
    }
    assertTrue(changes > 20, "seed " + seed + " changes " + changes);
  }

  /** Every verdict whose value the sweep changed was handed over (when a consumer was given). */
  private static void checkReplaced(
      List<Verdict> before,
      List<Verdict> after,
      List<Verdict> replaced,
      List<VerdictChange> changes,
      String at) {
    if (replaced.isEmpty()) {
      return; // sweep() without a consumer
    }
    Set<String> handed = new HashSet<>();
    replaced.forEach(v -> handed.add(v.targetId()));
    for (int i = 0; i < after.size(); i++) {
      if (!after.get(i).equals(before.get(i))) {
        assertTrue(handed.contains(after.get(i).targetId()), at + " " + after.get(i));
      }
    }
    changes.forEach(c -> assertTrue(handed.contains(c.after().targetId()), at));
  }

  private static Vote vote(SplittableRandom rnd, QuorateConfig config, MutableClock clock, long s) {
    List<String> regions = config.regions();
    String region = rnd.nextInt(40) == 0 ? "nowhere" : regions.get(rnd.nextInt(regions.size()));
    List<Target> targets = config.targets();
    String target =
        rnd.nextInt(40) == 0 ? "nothing" : targets.get(rnd.nextInt(targets.size())).id();
    Status status = STATUSES[rnd.nextInt(rnd.nextInt(4) == 0 ? 4 : 2)];
    Outcome o = status == Status.DOWN ? Outcome.DOWN : Outcome.UP;
    Instant received = clock.instant().plusNanos(rnd.nextLong(-40_000_000_000L, 2_000_000_000L));
    return new Vote(region, target, status, clock.instant(), s, received, o, null, "");
  }

  private static QuorateConfig config(SplittableRandom rnd, long seed) {
    int n = 1 + rnd.nextInt(6);
    List<String> regions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      regions.add("r" + i);
    }
    if (seed % 10 == 0) {
      regions.add("r0"); // the loader refuses this; the engine must still agree with the model
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Target t = Targets.fake("t" + i, 5_000 + 5_000L * rnd.nextInt(3), 2_000);
      targets.add(i == 5 ? Targets.inGroup(t, "g", 2) : t);
    }
    List<String> refs =
        switch (rnd.nextInt(4)) {
          case 0 -> List.of();
          case 1 -> List.of("t0");
          case 2 -> List.of("t0", "t1");
          default -> List.of("t0", "ghost");
        };
    QuorateConfig.Quorum q =
        new QuorateConfig.Quorum(
            QuorateConfig.majority(regions.size()), 5_000, 60_000, 1_000, 5_000, refs);
    int gq = 1 + rnd.nextInt(regions.size());
    return new QuorateConfig(
        regions,
        q,
        QuorateConfig.Defaults.DEFAULT,
        List.of(new QuorateConfig.Group("g", "G", "", gq)),
        targets,
        List.of(),
        List.of());
  }
}
