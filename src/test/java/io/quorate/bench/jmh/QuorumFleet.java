package io.quorate.bench.jmh;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Vote;
import io.quorate.testsupport.Targets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet for quorum benchmarks: {@link #TARGETS} targets probed every 10 s, {@link #REGIONS}
 * regions (quorum 3), no reference targets. Votes are made the way the mesh hands them over: a new
 * {@link Vote} with the next obsSeq, stamped with the receiver's clock.
 */
final class QuorumFleet {
  static final int TARGETS = 10_000;
  static final int REGIONS = 5;
  static final long INTERVAL_MS = 10_000;

  /** Votes per interval over the whole fleet: 50,000 per 10 s = 5,000 per second. */
  static final int ROUND = TARGETS * REGIONS;

  final QuorateConfig config;
  final List<String> regions = new ArrayList<>();
  final List<String> targetIds = new ArrayList<>();
  private final BenchClock clock;
  private long seq;

  QuorumFleet(BenchClock clock) {
    this.clock = clock;
    List<Target> targets = new ArrayList<>();
    for (int r = 0; r < REGIONS; r++) {
      regions.add("region-" + r);
    }
    for (int t = 0; t < TARGETS; t++) {
      String id = "target-" + t;
      targetIds.add(id);
      targets.add(Targets.fake(id, INTERVAL_MS, 5_000));
    }
    config =
        new QuorateConfig(
            regions,
            QuorateConfig.Quorum.defaults(REGIONS),
            QuorateConfig.Defaults.DEFAULT,
            List.of(),
            targets,
            List.of(),
            List.of());
  }

  /** The {@code i}-th vote of the round-robin stream: target-major, then region. */
  Vote vote(long i, Status status) {
    int target = (int) (i % TARGETS);
    int region = (int) ((i / TARGETS) % REGIONS);
    Outcome o =
        status == Status.DOWN
            ? Outcome.DOWN
            : status == Status.DEGRADED ? Outcome.DEGRADED : Outcome.UP;
    Instant now = clock.instant();
    return new Vote(
        regions.get(region), targetIds.get(target), status, now, ++seq, now, o, null, "");
  }

  /** Advances the clock as 5,000 votes per second would: 1 ms every 5 votes. */
  void tick(long i) {
    if (i % 5 == 0) {
      clock.advanceMs(1);
    }
  }
}
