package io.quorate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.prometheus.metrics.model.snapshots.Labels;
import io.quorate.config.Target;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.TlsInfo;
import io.quorate.quorum.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Probe and scheduler meters. Histograms use a short fixed bucket list (not Micrometer's ~70
 * percentile buckets) so that thousands of targets stay affordable in memory and in scrapes.
 */
public final class ProbeMetrics {
  private static final Duration[] PROBE_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };
  private static final Duration[] LAG_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)
  };

  private final MeterRegistry registry;
  private final String region;
  private final Map<String, PerTarget> perTarget = new ConcurrentHashMap<>();
  private final Timer lag;
  private final Counter skipped;
  private final Counter abandoned;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();

  private final class PerTarget {
    final Timer duration;
    final Tags tags;
    final Labels labels;
    volatile Status state = Status.UNKNOWN;
    final AtomicLong certExpiry = new AtomicLong(-1);
    volatile boolean certGauge;

    PerTarget(Target t) {
      tags = Tags.of("region", region, "target", t.id(), "type", t.type().wireName());
      duration =
          Timer.builder("quorate.probe.duration")
              .description("Probe duration")
              .tags(tags)
              .serviceLevelObjectives(PROBE_BUCKETS)
              .register(registry);
      labels = Labels.of("region", region, "target", t.id(), "type", t.type().wireName());
    }
  }

  public ProbeMetrics(MeterRegistry registry, String region) {
    this.registry = registry;
    this.region = region;
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
    perTarget.computeIfAbsent(t.id(), id -> new PerTarget(t));
  }

  /**
   * Forgets a target a reload removed (or whose type changed): its state series and every meter
   * tagged with it disappear from {@code /metrics}.
   */
  public void forget(String targetId) {
    perTarget.remove(targetId);
    Meters.removeTagged(registry, region, "target", targetId);
  }

  public void recordResult(Target t, ProbeResult r) {
    PerTarget p = perTarget.computeIfAbsent(t.id(), id -> new PerTarget(t));
    p.duration.record((long) (r.timings().totalMs() * 1_000_000), TimeUnit.NANOSECONDS);
    registry
        .counter(
            "quorate.probe.results",
            p.tags.and(
                "outcome",
                r.outcome().name().toLowerCase(Locale.ROOT),
                "error_kind",
                r.errorKind() == null ? "" : r.errorKind().wireName()))
        .increment();
    TlsInfo tls = r.tls();
    if (tls != null && tls.notAfter() != null) {
      p.certExpiry.set(tls.notAfter().getEpochSecond());
      if (!p.certGauge) {
        p.certGauge = true;
        Gauge.builder("quorate.tls.cert.expiry", p.certExpiry, AtomicLong::get)
            .description("Leaf certificate notAfter, Unix seconds")
            .baseUnit("timestamp_seconds")
            .tags(p.tags)
            .register(registry);
      }
    }
  }

  public void recordState(Target t, Status status) {
    PerTarget p = perTarget.computeIfAbsent(t.id(), id -> new PerTarget(t));
    p.state = status;
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
