package io.quorate.schedule;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.config.RegionConfig;
import io.quorate.config.Target;
import io.quorate.metrics.ProbeMetrics;
import io.quorate.probe.ProbeRegistry;
import io.quorate.probe.ProbeResult;
import io.quorate.quorum.Observation;
import io.quorate.testsupport.Targets;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ProbeScheduler#apply}: a live reload keeps unchanged targets' timers and the sequence. */
class ProbeSchedulerApplyTest {
  static final long HOUR = 3_600_000;
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private ProbeScheduler scheduler(
      List<Target> targets, ProbeSchedulerTest.FakeProbe probe, List<Observation> out) {
    return new ProbeScheduler(
        "eu-west",
        targets,
        new ProbeRegistry(List.of(probe)),
        new ProbeMetrics(new SimpleMeterRegistry(), "eu-west"),
        (t, o) -> out.add(o),
        Clock.systemUTC(),
        new RegionConfig.Scheduler(16, 10, 10),
        new SchedulePlan(10, new SplittableRandom(7)),
        1000);
  }

  /** A target probed hourly whose first run is at least a minute away (so none runs here). */
  private static Target hourly(String id) {
    assertTrue(SchedulePlan.initialOffsetMs(id, "eu-west", HOUR) > 60_000, "precondition " + id);
    return Targets.fake(id, HOUR, 5_000);
  }

  @Test
  void unchangedTargetsKeepTheirPlannedTimeChangedOnesAreReplannedRemovedOnesDropped()
      throws Exception {
    List<Observation> out = new CopyOnWriteArrayList<>();
    var probe = new ProbeSchedulerTest.FakeProbe(t -> Future.succeededFuture());
    Target keep = hourly("keep");
    Target edit = hourly("edit");
    ProbeScheduler s = scheduler(List.of(keep, edit, hourly("gone")), probe, out);
    await(vertx.deployVerticle(s));
    Map<String, Long> before = await(s.plannedNanos());
    long seq = s.nextSeq();
    Target edited = Targets.withThreshold(edit, 100L);
    Target added = hourly("added");
    List<String> inContext = new CopyOnWriteArrayList<>();
    await(s.apply(List.of(keep, edited, added), Set.of("edit", "added"), () -> inContext.add("x")));
    Map<String, Long> after = await(s.plannedNanos());
    assertEquals(Set.of("keep", "edit", "added"), after.keySet());
    assertEquals(before.get("keep"), after.get("keep"), "unchanged: same planned start");
    assertNotEquals(before.get("edit"), after.get("edit"), "changed: planned afresh");
    assertTrue(after.get("edit") > before.get("edit"), "from the reload's now");
    assertFalse(after.containsKey("gone"));
    assertEquals(seq, s.nextSeq(), "the sequence is not touched");
    assertEquals(List.of("x"), inContext);
    assertEquals(0, probe.perTarget.size(), "nothing ran");
  }

  @Test
  void aRemovedTargetsRunInFlightIsDroppedAndTheSequenceContinues() throws Exception {
    List<Observation> out = new CopyOnWriteArrayList<>();
    CompletableFuture<Promise<ProbeResult>> goneRun = new CompletableFuture<>();
    var probe =
        new ProbeSchedulerTest.FakeProbe(
            t -> {
              if (t.id().equals("gone")) {
                Promise<ProbeResult> p = Promise.promise();
                goneRun.complete(p);
                return p.future();
              }
              return Future.succeededFuture(ProbeSchedulerTest.up(t));
            });
    Target keep = Targets.fake("keep", 200, 100);
    ProbeScheduler s = scheduler(List.of(keep, Targets.fake("gone", 200, 150)), probe, out);
    await(vertx.deployVerticle(s));
    Promise<ProbeResult> inFlight = goneRun.get(10, TimeUnit.SECONDS);
    // the reloaded config holds an equal copy of the unchanged target, not the same instance
    await(s.apply(List.of(Targets.withThreshold(keep, null)), Set.of(), () -> {}));
    int mark = out.size();
    inFlight.complete(ProbeSchedulerTest.up(Targets.fake("gone", 200, 150)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (out.size() < mark + 3 && System.nanoTime() < deadline) {
      await(timer(50)); // wait for the unchanged target's next runs (bounded)
    }
    List<Observation> later = out.subList(mark, out.size());
    assertTrue(later.size() >= 3, "keep still probed: " + later.size());
    assertTrue(later.stream().allMatch(o -> o.targetId().equals("keep")), "gone dropped");
    for (int i = 1; i < out.size(); i++) {
      assertTrue(out.get(i).seq() > out.get(i - 1).seq(), "seq continues increasing");
    }
  }

  private Future<Void> timer(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    return p.future();
  }
}
