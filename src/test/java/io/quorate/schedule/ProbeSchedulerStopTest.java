package io.quorate.schedule;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.config.RegionConfig;
import io.quorate.config.Target;
import io.quorate.metrics.ProbeMetrics;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeRegistry;
import io.quorate.probe.ProbeResult;
import io.quorate.quorum.Observation;
import io.quorate.testsupport.Targets;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful stop of the scheduler (ADR 0016): no new probe starts, queued runs are dropped, the
 * probe in flight finishes (its result still reaches the sink) or hits its backstop deadline, and
 * only then does the stop complete.
 */
class ProbeSchedulerStopTest {
  final Vertx vertx = Vertx.vertx();
  final List<Promise<ProbeResult>> calls = new CopyOnWriteArrayList<>();
  final List<Target> called = new CopyOnWriteArrayList<>();
  final List<Observation> seen = new CopyOnWriteArrayList<>();
  final Promise<Void> firstCall = Promise.promise();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private ProbeScheduler scheduler(List<Target> targets) {
    ProbeSchedulerTest.FakeProbe probe =
        new ProbeSchedulerTest.FakeProbe(
            t -> {
              Promise<ProbeResult> p = Promise.promise();
              calls.add(p);
              called.add(t);
              firstCall.tryComplete();
              return p.future();
            });
    return new ProbeScheduler(
        "eu-west",
        targets,
        new ProbeRegistry(List.of(probe)),
        new ProbeMetrics(new SimpleMeterRegistry(), "eu-west"),
        (t, obs) -> seen.add(obs),
        Clock.systemUTC(),
        new RegionConfig.Scheduler(1, 10, 10),
        new SchedulePlan(0, new SplittableRandom(7)),
        1000);
  }

  @Test
  void stopWaitsForTheProbeInFlightDeliversItAndStartsNoOther() throws Exception {
    // one probe at a time: the second target is queued behind the first
    List<Target> targets = List.of(Targets.fake("a", 100, 10_000), Targets.fake("b", 100, 10_000));
    String id = await(vertx.deployVerticle(scheduler(targets)));
    await(firstCall.future());
    Future<Void> stopped = vertx.undeploy(id);
    // the stop cannot be complete while the probe runs: wait on the deployment's own event loop
    await(vertx.timer(50, TimeUnit.MILLISECONDS));
    assertFalse(stopped.isComplete(), "stop waits for the probe in flight");
    assertEquals(1, calls.size());

    calls.get(0).complete(ProbeSchedulerTest.up(called.get(0)));
    await(stopped);
    assertEquals(1, seen.size(), "the result of the probe in flight reaches the sink");
    assertEquals(called.get(0).id(), seen.get(0).result().targetId());
    assertEquals(1, calls.size(), "the queued run was dropped, no new one started");
  }

  @Test
  void aProbeThatNeverAnswersEndsTheStopAtItsBackstopDeadline() throws Exception {
    List<Target> targets = List.of(Targets.fake("slow", 100, 200));
    String id = await(vertx.deployVerticle(scheduler(targets)));
    await(firstCall.future());
    long t0 = System.nanoTime();
    await(vertx.undeploy(id));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms <= 200 + ProbeScheduler.BACKSTOP_GRACE_MS + 1_000, "stopped in " + ms + " ms");
    assertEquals(1, seen.size());
    ProbeResult r = seen.get(0).result();
    assertEquals(ErrorKind.TIMEOUT, r.errorKind());
    assertEquals(1, calls.size());
  }
}
