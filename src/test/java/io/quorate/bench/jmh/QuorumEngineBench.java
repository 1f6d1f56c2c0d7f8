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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 8 (a): the common case. Votes arrive round-robin over 10,000 targets × 5 regions, every one
 * UP, so no verdict changes; one op = one vote through {@link QuorumEngine#acceptAll}, as the
 * agent's quorum service calls it. Run: {@code java -cp $CP org.openjdk.jmh.Main QuorumEngine}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuorumEngineBench {
  private QuorumFleet fleet;
  private QuorumEngine engine;
  private long next;

  @Setup
  public void setup() {
    BenchClock clock = new BenchClock(1_800_000_000_000L);
    fleet = new QuorumFleet(clock);
    engine = new QuorumEngine(fleet.config, clock);
    for (next = 0; next < QuorumFleet.ROUND; next++) {
      engine.acceptAll(fleet.vote(next, Status.UP));
    }
    if (engine.verdict("target-0").state() != Status.UP) {
      throw new IllegalStateException("fleet did not come up");
    }
  }

  @Benchmark
  public List<VerdictChange> steady() {
    long i = next++;
    fleet.tick(i);
    return engine.acceptAll(fleet.vote(i, Status.UP));
  }
}
