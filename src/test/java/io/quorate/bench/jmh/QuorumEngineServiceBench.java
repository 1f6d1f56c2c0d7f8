package io.quorate.bench.jmh;

import io.quorate.agent.QuorumService;
import io.quorate.quorum.Status;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 8 (c): what an agent does per received vote. {@link QuorumService#vote} hops onto the
 * service's event-loop context, records the region with the action gate, stores and judges the vote
 * (freshness, abstention), publishes the target's verdict snapshot and the gate status. Steady
 * state as in {@link QuorumEngineBench}; each batch also carries one heartbeat per peer (peers stay
 * live, the gate quorate). One op = one vote; a batch ends when the context has drained it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuorumEngineServiceBench {
  private static final int BATCH = 1_000;

  private Vertx vertx;
  private QuorumFleet fleet;
  private QuorumService service;
  private long next;

  @Setup
  public void setup() throws Exception {
    vertx = Vertx.vertx();
    BenchClock clock = new BenchClock(1_800_000_000_000L);
    fleet = new QuorumFleet(clock);
    service =
        new QuorumService(vertx, fleet.config, fleet.regions.get(0), clock, 0, c -> {}, g -> {});
    for (next = 0; next < QuorumFleet.ROUND; next++) {
      service.vote(fleet.vote(next, Status.UP));
    }
    heartbeats();
    drain();
    if (service.verdict("target-0").state() != Status.UP || !service.gate().quorate()) {
      throw new IllegalStateException("fleet did not come up: " + service.gate());
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void heartbeats() {
    for (int r = 1; r < QuorumFleet.REGIONS; r++) {
      service.heard(fleet.regions.get(r));
    }
  }

  private void drain() throws Exception {
    service.decideLocal().await(10, TimeUnit.SECONDS);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void vote() throws Exception {
    heartbeats();
    for (int k = 0; k < BATCH; k++) {
      long i = next++;
      fleet.tick(i);
      service.vote(fleet.vote(i, Status.UP));
    }
    drain();
  }
}
