package io.quorate.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.prometheus.metrics.model.snapshots.Labels;
import io.quorate.config.Target;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.TlsInfo;
import io.quorate.quorum.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probe and scheduler meters. Per-target series (probe duration histogram, results counters, TLS
 * expiry, local state) live in one {@link ProbeSeries} per target and are rendered at scrape time
 * ({@link ProbeFamilies}, {@link StateGauges}) with the exposition Micrometer meters had: at 10,000
 * targets those meters were most of the live heap and their per-probe counter lookups allocated on
 * every result (issue 8). Histograms use a short fixed bucket list (not Micrometer's ~70 percentile
 * buckets).
 *
 * <p>Only a Prometheus registry can render the per-target families; with another registry (unit
 * tests) they are simply not exposed.
 */
public final class ProbeMetrics {
  private static final Duration[] LAG_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)
  };

  private final MeterRegistry registry;
  private final String region;
  private final Map<String, ProbeSeries> perTarget = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Timer lag;
  private final Counter skipped;
  private final Counter abandoned;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();

  public ProbeMetrics(MeterRegistry registry, String region) {
    this.registry = registry;
    this.region = region;
    this.clock = registry.config().clock();
    this.lag =
        Timer.builder("quorate.scheduler.lag")
            .description("How late probes start against their planned time")
            .tag("region", region)
            .serviceLevelObjectives(LAG_BUCKETS)
            .register(registry);
    this.skipped =
        Counter.builder("quorate.scheduler.skipped")
            .description("Runs skipped because the previous run of the target was still going")
            .tag("region", region)
            .register(registry);
    StateGauges.register(
        registry,
        "quorate_target_state",
        "1 for the target's current local state, else 0",
        out -> perTarget.values().forEach(p -> out.accept(p.labels, p.state)));
    Families.register(
        registry, "quorate_probe_*", new ProbeFamilies(perTarget::values, clock::wallTime));
    this.abandoned =
        Counter.builder("quorate.scheduler.abandoned")
            .description("Probes that broke their contract (no result by timeout + 1 s): bugs")
            .tag("region", region)
            .register(registry);
    Gauge.builder("quorate.probes.in.flight", inFlight, AtomicInteger::get)
        .tag("region", region)
        .register(registry);
    Gauge.builder("quorate.scheduler.queued", queued, AtomicInteger::get)
        .description("Due probes waiting for a concurrency slot")
        .tag("region", region)
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void register(Target t) {
    series(t);
  }

  private ProbeSeries series(Target t) {
    ProbeSeries p = perTarget.get(t.id()); // no capturing lambda per result when it exists
    return p != null ? p : perTarget.computeIfAbsent(t.id(), id -> newSeries(t));
  }

  private ProbeSeries newSeries(Target t) {
    return new ProbeSeries(
        Labels.of("region", region, "target", t.id(), "type", t.type().wireName()),
        clock.wallTime());
  }

  /**
   * Forgets a target a reload removed (or whose type changed): its series and every meter tagged
   * with it disappear from {@code /metrics}.
   */
  public void forget(String targetId) {
    perTarget.remove(targetId);
    Meters.removeTagged(registry, region, "target", targetId);
  }

  /** Counts one result of {@code t}; allocates nothing once the target has been seen. */
  public void recordResult(Target t, ProbeResult r) {
    ProbeSeries p = series(t);
    p.record(
        r.outcome(), r.errorKind(), (long) (r.timings().totalMs() * 1_000_000), clock.wallTime());
    TlsInfo tls = r.tls();
    if (tls != null && tls.notAfter() != null) {
      p.certExpiry(tls.notAfter().getEpochSecond());
    }
  }

  public void recordState(Target t, Status status) {
    series(t).state = status;
  }

  public void recordLag(long lagNanos) {
    lag.record(Math.max(0, lagNanos), TimeUnit.NANOSECONDS);
  }

  public void recordAbandoned() {
    abandoned.increment();
  }

  public void recordSkipped() {
    skipped.increment();
  }

  public AtomicInteger inFlight() {
    return inFlight;
  }

  public AtomicInteger queued() {
    return queued;
  }
}
