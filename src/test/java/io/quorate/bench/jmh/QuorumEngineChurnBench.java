package io.quorate.bench.jmh;

import io.quorate.quorum.QuorumEngine;
import io.quorate.quorum.Status;
import io.quorate.quorum.VerdictChange;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 8 (b): churn. As {@link QuorumEngineBench}, but {@code churnPercent} % of the targets flip
 * between UP and DOWN in every region each round (each 50,000 votes), so each of them changes
 * verdict once per round (at its third region's vote). One op = one vote.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuorumEngineChurnBench {
  @Param({"1", "10"})
  public int churnPercent;

  private QuorumFleet fleet;
  private QuorumEngine engine;
  private long next;
  private long changes;

  @Setup
  public void setup() {
    BenchClock clock = new BenchClock(1_800_000_000_000L);
    fleet = new QuorumFleet(clock);
    engine = new QuorumEngine(fleet.config, clock);
    for (next = 0; next < QuorumFleet.ROUND; next++) {
      engine.acceptAll(fleet.vote(next, status(next)));
    }
  }

  private Status status(long i) {
    boolean churns = (i % QuorumFleet.TARGETS) % 100 < churnPercent;
    boolean oddRound = (i / QuorumFleet.ROUND) % 2 == 1;
    return churns && oddRound ? Status.DOWN : Status.UP;
  }

  @Benchmark
  public List<VerdictChange> churn() {
    long i = next++;
    fleet.tick(i);
    List<VerdictChange> out = engine.acceptAll(fleet.vote(i, status(i)));
    changes += out.size();
    return out;
  }
}
