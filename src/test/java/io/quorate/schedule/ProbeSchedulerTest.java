package io.quorate.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.config.ProbeType;
import io.quorate.config.RegionConfig;
import io.quorate.config.Target;
import io.quorate.metrics.ProbeMetrics;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeRegistry;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.testsupport.Targets;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ProbeSchedulerTest {

  /** A probe whose behaviour per call is scripted; counts concurrency overall and per target. */
  static final class FakeProbe implements Probe {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final Map<String, AtomicInteger> perTarget = new ConcurrentHashMap<>();
    final AtomicInteger maxPerTarget = new AtomicInteger();
    final Function<Target, Future<ProbeResult>> body;

    FakeProbe(Function<Target, Future<ProbeResult>> body) {
      this.body = body;
    }

    @Override
    public ProbeType type() {
      return ProbeType.DNS;
    }

    @Override
    public Future<ProbeResult> run(Target t) {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      AtomicInteger mine = perTarget.computeIfAbsent(t.id(), k -> new AtomicInteger());
      maxPerTarget.accumulateAndGet(mine.incrementAndGet(), Math::max);
      return body.apply(t)
          .andThen(
              ar -> {
                inFlight.decrementAndGet();
                mine.decrementAndGet();
              });
    }
  }

  static ProbeResult up(Target t) {
    return ProbeResult.up(t.id(), "", Instant.now(), Timings.total(1), null, null);
  }

  private static Future<ProbeResult> after(Vertx vertx, long ms, ProbeResult r) {
    Promise<ProbeResult> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete(r));
    return p.future();
  }

  private ProbeScheduler scheduler(
      List<Target> targets,
      Probe probe,
      ProbeMetrics metrics,
      int maxConcurrent,
      ObservationSink sink) {
    return new ProbeScheduler(
        "eu-west",
        targets,
        new ProbeRegistry(List.of(probe)),
        metrics,
        sink,
        Clock.systemUTC(),
        new RegionConfig.Scheduler(maxConcurrent, 10, 10),
        new SchedulePlan(10, new SplittableRandom(7)),
        1000);
  }

  @Test
  void boundsConcurrencyAndProbesEveryTarget(Vertx vertx, VertxTestContext tc) {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      targets.add(Targets.fake("t" + i, 200, 150));
    }
    FakeProbe probe = new FakeProbe(t -> after(vertx, 60, up(t)));
    ProbeMetrics metrics = new ProbeMetrics(new SimpleMeterRegistry(), "eu-west");
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    List<Long> seqs = new CopyOnWriteArrayList<>();
    var done = tc.checkpoint();
    AtomicInteger delivered = new AtomicInteger();
    ObservationSink sink =
        (t, o) -> {
          seen.put(t.id(), true);
          seqs.add(o.seq());
          if (delivered.incrementAndGet() == 40) {
            tc.verify(
                () -> {
                  assertEquals(8, seen.size(), "every target probed");
                  assertTrue(
                      probe.maxInFlight.get() <= 2, "max in flight " + probe.maxInFlight.get());
                  assertEquals(2, probe.maxInFlight.get(), "the bound was actually reached");
                  for (int i = 1; i < seqs.size(); i++) {
                    assertTrue(seqs.get(i) > seqs.get(i - 1), "sequence numbers increase");
                  }
                });
            done.flag();
          }
        };
    vertx.deployVerticle(scheduler(targets, probe, metrics, 2, sink));
  }

  @Test
  void neverOverlapsRunsOfOneTargetAndCountsSkips(Vertx vertx, VertxTestContext tc) {
    Target slow = Targets.fake("slow", 50, 40);
    FakeProbe probe = new FakeProbe(t -> after(vertx, 180, up(t)));
    SimpleMeterRegistry reg = new SimpleMeterRegistry();
    ProbeMetrics metrics = new ProbeMetrics(reg, "eu-west");
    var done = tc.checkpoint();
    AtomicInteger delivered = new AtomicInteger();
    ObservationSink sink =
        (t, o) -> {
          if (delivered.incrementAndGet() == 3) {
            tc.verify(
                () -> {
                  assertEquals(1, probe.maxPerTarget.get(), "no two runs of one target at once");
                  assertTrue(
                      reg.counter("quorate.scheduler.skipped", "region", "eu-west").count() >= 3,
                      "due runs while busy are skipped and counted");
                });
            done.flag();
          }
        };
    vertx.deployVerticle(scheduler(List.of(slow), probe, metrics, 10, sink));
  }

  @Test
  void aProbeThatNeverCompletesBecomesATimeoutResult(Vertx vertx, VertxTestContext tc) {
    Target t = Targets.fake("stuck", 5_000, 100);
    FakeProbe probe = new FakeProbe(x -> Promise.<ProbeResult>promise().future());
    ProbeMetrics metrics = new ProbeMetrics(new SimpleMeterRegistry(), "eu-west");
    ProbeScheduler s = scheduler(List.of(t), probe, metrics, 10, (x, o) -> {});
    vertx
        .deployVerticle(s)
        .compose(id -> s.runOnce(t))
        .onComplete(
            tc.succeeding(
                r ->
                    tc.verify(
                        () -> {
                          assertEquals(Outcome.DOWN, r.outcome());
                          assertEquals(ErrorKind.TIMEOUT, r.errorKind());
                          assertTrue(r.detail().contains("did not finish"), r.detail());
                          assertTrue(
                              r.timings().totalMs() >= 100 + ProbeScheduler.BACKSTOP_GRACE_MS - 50);
                          tc.completeNow();
                        })));
  }

  @Test
  void aProbeThatThrowsBecomesAnInternalResult(Vertx vertx, VertxTestContext tc) {
    Target t = Targets.fake("buggy", 5_000, 100);
    FakeProbe probe =
        new FakeProbe(
            x -> {
              throw new IllegalStateException("boom");
            });
    ProbeMetrics metrics = new ProbeMetrics(new SimpleMeterRegistry(), "eu-west");
    ProbeScheduler s = scheduler(List.of(t), probe, metrics, 10, (x, o) -> {});
    vertx
        .deployVerticle(s)
        .compose(id -> s.runOnce(t))
        .onComplete(
            tc.succeeding(
                r ->
                    tc.verify(
                        () -> {
                          assertEquals(ErrorKind.INTERNAL, r.errorKind());
                          assertTrue(r.detail().contains("boom"), r.detail());
                          tc.completeNow();
                        })));
  }

  private static io.micrometer.core.instrument.MeterRegistry metricsRegistry(ProbeMetrics m) {
    return m.registry();
  }

  @Test
  void aSinkThatThrowsDoesNotWedgeTheQueue(Vertx vertx, VertxTestContext tc) {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      targets.add(Targets.fake("q" + i, 200, 150));
    }
    FakeProbe probe = new FakeProbe(t -> after(vertx, 30, up(t)));
    ProbeMetrics metrics = new ProbeMetrics(new SimpleMeterRegistry(), "eu-west");
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    var done = tc.checkpoint();
    ObservationSink sink =
        (t, o) -> {
          if (seen.put(t.id(), true) == null && seen.size() == 4) {
            done.flag();
          }
          throw new IllegalStateException("sink bug");
        };
    vertx.deployVerticle(scheduler(targets, probe, metrics, 1, sink));
  }

  @Test
  void aProbeReturningNullIsAnInternalResult(Vertx vertx, VertxTestContext tc) {
    Target t = Targets.fake("null", 5_000, 100);
    FakeProbe probe = new FakeProbe(x -> null);
    ProbeMetrics metrics = new ProbeMetrics(new SimpleMeterRegistry(), "eu-west");
    ProbeScheduler s = scheduler(List.of(t), probe, metrics, 10, (x, o) -> {});
    vertx
        .deployVerticle(s)
        .compose(id -> s.runOnce(t))
        .onComplete(
            tc.succeeding(
                r ->
                    tc.verify(
                        () -> {
                          assertEquals(ErrorKind.INTERNAL, r.errorKind());
                          tc.completeNow();
                        })));
  }

  @Test
  void latencyThresholdTurnsSlowPassesIntoDegraded() {
    Target t = Targets.withThreshold(Targets.fake("t", 10_000, 5_000), 100L);
    ProbeResult fast = ProbeResult.up("t", "", Instant.now(), Timings.total(99.0), null, null);
    ProbeResult slow = ProbeResult.up("t", "", Instant.now(), Timings.total(100.5), null, null);
    ProbeResult down =
        ProbeResult.down("t", ErrorKind.REFUSED, "x", Instant.now(), Timings.total(500));
    assertEquals(Outcome.UP, ProbeScheduler.applyLatencyThreshold(t, fast).outcome());
    ProbeResult d = ProbeScheduler.applyLatencyThreshold(t, slow);
    assertEquals(Outcome.DEGRADED, d.outcome());
    assertEquals(ErrorKind.LATENCY, d.errorKind());
    assertEquals("took 100.5 ms (threshold 100 ms)", d.detail());
    assertEquals(ErrorKind.REFUSED, ProbeScheduler.applyLatencyThreshold(t, down).errorKind());
    Target none = Targets.fake("t", 10_000, 5_000);
    assertEquals(Outcome.UP, ProbeScheduler.applyLatencyThreshold(none, slow).outcome());
  }

  @Test
  void recordsScheduleLag(Vertx vertx, VertxTestContext tc) {
    Target t = Targets.fake("lag", 100, 50);
    FakeProbe probe = new FakeProbe(x -> Future.succeededFuture(up(x)));
    SimpleMeterRegistry reg = new SimpleMeterRegistry();
    ProbeMetrics metrics = new ProbeMetrics(reg, "eu-west");
    var done = tc.checkpoint(3);
    vertx.deployVerticle(
        scheduler(
            List.of(t),
            probe,
            metrics,
            10,
            (x, o) -> {
              tc.verify(
                  () ->
                      assertTrue(
                          reg.timer("quorate.scheduler.lag", "region", "eu-west").count() >= 1));
              done.flag();
            }));
  }
}
