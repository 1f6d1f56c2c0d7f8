package io.quorate.schedule;

import io.quorate.config.RegionConfig;
import io.quorate.config.Target;
import io.quorate.metrics.ProbeMetrics;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeRegistry;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.quorum.Observation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every target's probe on its interval: spread start, jitter, a global bound on probes in
 * flight (excess waits in a FIFO queue), never two runs of one target at once (a due run is skipped
 * and counted while the previous one is still going), a hard per-probe deadline as a backstop, the
 * latency threshold (UP → DEGRADED), and the schedule-lag metric. All state is confined to this
 * verticle's event loop.
 */
public final class ProbeScheduler extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeScheduler.class);

  /** How long past its own timeout a probe may take before the scheduler gives up on it. */
  static final long BACKSTOP_GRACE_MS = 1_000;

  private final String region;

  /** Every scheduled target by id; replaced by {@link #apply} (identity marks a current run). */
  private Map<String, Target> targets;

  private final ProbeRegistry probes;
  private final ProbeMetrics metrics;
  private final ObservationSink sink;
  private final Clock clock;
  private final SchedulePlan plan;
  private final int maxConcurrent;
  private final AtomicLong seq;

  private final Set<String> running = new HashSet<>();
  private final ArrayDeque<Due> queue = new ArrayDeque<>();
  private final Map<String, Long> timers = new HashMap<>();
  private final Map<String, Long> planned = new HashMap<>();
  private static final long SKIP_WARN_EVERY_MS = 60_000;
  private long lastSkipWarnMs = Long.MIN_VALUE / 2;
  private volatile boolean started;
  private boolean stopping;

  /** Probes launched and not yet finished (this scheduler's own count). */
  private int launched;

  private final io.vertx.core.Promise<Void> drained = io.vertx.core.Promise.promise();

  private record Due(Target target, long plannedNanos) {}

  public ProbeScheduler(
      String region,
      List<Target> targets,
      ProbeRegistry probes,
      ProbeMetrics metrics,
      ObservationSink sink,
      Clock clock,
      RegionConfig.Scheduler limits,
      SchedulePlan plan,
      long firstSeq) {
    this.region = region;
    this.targets = byId(targets);
    this.probes = probes;
    this.metrics = metrics;
    this.sink = sink;
    this.clock = clock;
    this.plan = plan;
    this.maxConcurrent = limits.maxConcurrentProbes();
    this.seq = new AtomicLong(firstSeq);
  }

  /** The next observation seq (the last one handed out + 1). */
  public long currentSeq() {
    return seq.get();
  }

  /** Every later observation seq is above {@code floor} (call before {@link #start()}). */
  public void resumeSeqAbove(long floor) {
    seq.accumulateAndGet(floor + 1, Math::max);
  }

  @Override
  public Future<?> start() {
    long now = System.nanoTime();
    targets.values().forEach(t -> armFirst(t, now));
    started = true;
    LOG.info(
        "scheduler started region={} targets={} maxConcurrent={}",
        region,
        targets.size(),
        maxConcurrent);
    return Future.succeededFuture();
  }

  /**
   * Graceful stop (ADR 0016): starts no more probes (timers cancelled, queued runs dropped) and
   * completes when the probes in flight have finished; their results still reach the sink. Each is
   * bounded by its target's timeout plus {@link #BACKSTOP_GRACE_MS}. Idempotent; undeploying calls
   * it too.
   */
  @Override
  public Future<Void> stop() {
    if (!stopping) {
      stopping = true;
      started = false;
      timers.values().forEach(vertx::cancelTimer);
      timers.clear();
      planned.clear();
      queue.forEach(d -> running.remove(d.target().id()));
      queue.clear();
      metrics.queued().set(0);
      LOG.info("scheduler stopping region={} inFlight={}", region, launched);
      completeIfDrained();
    }
    return drained.future();
  }

  /** {@link #stop()} from any thread, on this verticle's context. */
  public Future<Void> drain() {
    if (context == null) {
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> stop().onComplete(p));
    return p.future();
  }

  private void completeIfDrained() {
    if (stopping && launched == 0) {
      drained.tryComplete();
    }
  }

  /** True once every target is armed (for {@code /readyz}). */
  public boolean isRunning() {
    return started;
  }

  /** The next sequence number this region will use. */
  public long nextSeq() {
    return seq.get();
  }

  /**
   * A live reload (ADR 0017), on this verticle's context: targets not in {@code next}, and those in
   * {@code restart} (changed ones), lose their timer and queued run, and a result of theirs still
   * in flight is dropped; targets new to the schedule or in {@code restart} are armed afresh at
   * their stable offset. Every other target keeps its timer, planned time and jitter; the sequence
   * continues. {@code inContext} runs right after the switch, before anything is armed.
   */
  public Future<Void> apply(List<Target> next, Set<String> restart, Runnable inContext) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(
        v -> {
          Map<String, Target> now = byId(next);
          for (Target old : targets.values()) {
            if (!now.containsKey(old.id()) || restart.contains(old.id())) {
              unschedule(old.id());
            } else {
              now.put(old.id(), old); // the armed timer holds this instance (see current())
            }
          }
          long nanos = System.nanoTime();
          Map<String, Target> before = targets;
          targets = now;
          inContext.run(); // before arming: it may forget meters the new targets register
          for (Target t : now.values()) {
            if (!before.containsKey(t.id()) || restart.contains(t.id())) {
              armFirst(t, nanos);
            }
          }
          metrics.queued().set(queue.size());
          LOG.info("scheduler reloaded region={} targets={}", region, now.size());
          done.complete();
        });
    return done.future();
  }

  /** Each target's next planned start ({@link System#nanoTime()} scale), read on the context. */
  public Future<Map<String, Long>> plannedNanos() {
    io.vertx.core.Promise<Map<String, Long>> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> p.complete(Map.copyOf(planned)));
    return p.future();
  }

  private void unschedule(String id) {
    Long timer = timers.remove(id);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
    planned.remove(id);
    if (queue.removeIf(d -> d.target().id().equals(id))) {
      running.remove(id); // a queued run holds the slot it never started
    }
  }

  private static Map<String, Target> byId(List<Target> list) {
    Map<String, Target> out = new java.util.LinkedHashMap<>();
    list.forEach(t -> out.put(t.id(), t));
    return out;
  }

  private void armFirst(Target t, long nowNanos) {
    metrics.register(t);
    long offsetMs = SchedulePlan.initialOffsetMs(t.id(), region, t.intervalMs());
    arm(t, nowNanos + TimeUnit.MILLISECONDS.toNanos(offsetMs));
  }

  private void arm(Target t, long plannedNanos) {
    long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(plannedNanos - System.nanoTime()));
    timers.put(t.id(), vertx.setTimer(delayMs, id -> due(t, plannedNanos)));
    planned.put(t.id(), plannedNanos);
  }

  private boolean current(Target t) {
    return targets.get(t.id()) == t;
  }

  private void due(Target t, long plannedNanos) {
    if (stopping || !current(t)) {
      return;
    }
    long next = plannedNanos + TimeUnit.MILLISECONDS.toNanos(plan.nextIntervalMs(t.intervalMs()));
    long now = System.nanoTime();
    arm(t, Math.max(next, now)); // an overloaded agent re-plans from now instead of bunching up
    if (running.contains(t.id())) {
      metrics.recordSkipped();
      long nowMs = System.currentTimeMillis();
      if (nowMs - lastSkipWarnMs >= SKIP_WARN_EVERY_MS) {
        // one line per minute at most: an overloaded agent must not also flood its log
        lastSkipWarnMs = nowMs;
        LOG.warn(
            "scheduler skip target={} reason=previous-run-still-going"
                + " (counted in quorate_scheduler_skipped_total; logged at most once a minute)",
            t.id());
      }
      return;
    }
    running.add(t.id());
    if (metrics.inFlight().get() >= maxConcurrent) {
      queue.addLast(new Due(t, plannedNanos));
      metrics.queued().set(queue.size());
      return;
    }
    launch(new Due(t, plannedNanos));
  }

  private void launch(Due d) {
    Target t = d.target();
    metrics.recordLag(System.nanoTime() - d.plannedNanos());
    metrics.inFlight().incrementAndGet();
    launched++;
    runOnce(t).onComplete(ar -> finish(t, ar.succeeded() ? ar.result() : null));
  }

  /** Runs one probe of {@code t}; the future always succeeds. */
  Future<ProbeResult> runOnce(Target t) {
    java.time.Instant startedAt = clock.instant();
    long t0 = System.nanoTime();
    Probe probe = probes.forType(t.type()).orElse(null);
    if (probe == null) {
      return Future.succeededFuture(internal(t, startedAt, t0, "no probe for type " + t.type()));
    }
    Future<ProbeResult> f;
    try {
      f = probe.run(t);
    } catch (RuntimeException e) {
      LOG.error("probe bug target={} type={}", t.id(), t.type().wireName(), e);
      return Future.succeededFuture(internal(t, startedAt, t0, "probe failed: " + e));
    }
    if (f == null) {
      return Future.succeededFuture(internal(t, startedAt, t0, "probe returned no future"));
    }
    return f.timeout(t.timeoutMs() + BACKSTOP_GRACE_MS, TimeUnit.MILLISECONDS)
        .recover(err -> Future.succeededFuture(backstop(t, startedAt, t0, err)))
        .map(r -> r == null ? internal(t, startedAt, t0, "probe returned no result") : r)
        .map(r -> applyLatencyThreshold(t, r));
  }

  /**
   * The probe broke its contract (it should enforce its own timeout and never fail): a bug. The run
   * is abandoned (its slot is freed) and counted, so a stuck probe cannot wedge the schedule.
   */
  private ProbeResult backstop(Target t, java.time.Instant startedAt, long t0, Throwable err) {
    metrics.recordAbandoned();
    if (err instanceof java.util.concurrent.TimeoutException) {
      LOG.warn(
          "probe abandoned target={} type={} reason=exceeded-timeout", t.id(), t.type().wireName());
      return ProbeResult.down(
          t.id(),
          ErrorKind.TIMEOUT,
          "probe did not finish within its timeout of " + t.timeoutMs() + " ms",
          startedAt,
          Timings.total(Timings.millisBetween(t0, System.nanoTime())));
    }
    LOG.error("probe failed its future target={} type={}", t.id(), t.type().wireName(), err);
    return internal(t, startedAt, t0, "probe failed: " + err);
  }

  private static ProbeResult internal(Target t, java.time.Instant at, long t0, String detail) {
    return ProbeResult.down(
        t.id(),
        ErrorKind.INTERNAL,
        detail,
        at,
        Timings.total(Timings.millisBetween(t0, System.nanoTime())));
  }

  /** A passing probe slower than the target's threshold is DEGRADED (LATENCY). */
  public static ProbeResult applyLatencyThreshold(Target t, ProbeResult r) {
    Long limit = t.degradedAboveMs();
    if (limit != null && r.outcome() == Outcome.UP && r.timings().totalMs() > limit) {
      return r.withOutcome(
          Outcome.DEGRADED,
          ErrorKind.LATENCY,
          String.format(
              java.util.Locale.ROOT,
              "took %.1f ms (threshold %d ms)",
              r.timings().totalMs(),
              limit));
    }
    return r;
  }

  private void finish(Target t, ProbeResult r) {
    metrics.inFlight().decrementAndGet();
    launched--;
    running.remove(t.id());
    try {
      if (r != null && current(t)) {
        sink.accept(t, new Observation(region, seq.getAndIncrement(), r));
      }
    } catch (RuntimeException e) {
      LOG.error("observation sink failed target={}", t.id(), e);
    } finally {
      // always drain: a failure above must not leave queued targets waiting forever
      while (!stopping && !queue.isEmpty() && metrics.inFlight().get() < maxConcurrent) {
        Due next = queue.pollFirst();
        metrics.queued().set(queue.size());
        launch(next);
      }
      completeIfDrained();
    }
  }
}
