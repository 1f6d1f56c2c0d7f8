package io.quorate.bench.jmh;

import io.quorate.quorum.QuorumEngine;
import io.quorate.quorum.Status;
import io.quorate.quorum.VerdictChange;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 8 (d): the freshness sweep the quorum service runs every 250 ms over 10,000 targets × 5
 * regions. {@code quiet}: every vote fresh, nothing expires (the sweep of almost every tick).
 * {@code expireAll}: every vote has just gone stale, so all 10,000 verdicts turn UNKNOWN (worst
 * case; the engine is refilled before each op, outside the measurement). One op = one sweep.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuorumEngineSweepBench {

  static QuorumEngine filled(QuorumFleet fleet, BenchClock clock) {
    QuorumEngine e = new QuorumEngine(fleet.config, clock);
    for (long i = 0; i < QuorumFleet.ROUND; i++) {
      e.acceptAll(fleet.vote(i, Status.UP));
    }
    return e;
  }

  /** A full engine whose votes stay fresh (its clock never moves). */
  @State(Scope.Thread)
  public static class Quiet {
    QuorumEngine engine;

    @Setup
    public void setup() {
      BenchClock clock = new BenchClock(1_800_000_000_000L);
      engine = filled(new QuorumFleet(clock), clock);
    }
  }

  /** A full engine whose votes all expire at the next sweep. */
  @State(Scope.Thread)
  public static class Expiring {
    BenchClock clock;
    QuorumFleet fleet;
    QuorumEngine engine;

    @Setup(Level.Trial)
    public void setup() {
      clock = new BenchClock(1_800_000_000_000L);
      fleet = new QuorumFleet(clock);
    }

    @Setup(Level.Invocation)
    public void refill() {
      engine = filled(fleet, clock);
      clock.advanceMs(fleet.config.quorum().freshnessMs(QuorumFleet.INTERVAL_MS) + 1);
    }
  }

  @Benchmark
  public List<VerdictChange> quiet(Quiet s) {
    return s.engine.sweep();
  }

  @Benchmark
  public List<VerdictChange> expireAll(Expiring s) {
    List<VerdictChange> out = s.engine.sweep();
    if (out.size() != QuorumFleet.TARGETS) {
      throw new IllegalStateException("expected every verdict to change, got " + out.size());
    }
    return out;
  }
}
