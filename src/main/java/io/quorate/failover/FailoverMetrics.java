package io.quorate.failover;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** Failover meters: changes by pool and outcome, failover duration, conflicts, frozen pools. */
public final class FailoverMetrics {
  private static final Duration[] BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120),
    Duration.ofSeconds(300)
  };

  private final MeterRegistry registry;
  private final String region;

  public FailoverMetrics(MeterRegistry registry, String region) {
    this.registry = registry;
    this.region = region;
  }

  /** A gauge of 1 while the pool is frozen. */
  public void watchFrozen(String pool, Supplier<Boolean> frozen) {
    Gauge.builder("quorate.pool.frozen", frozen, f -> f.get() ? 1 : 0)
        .description("1 while the pool is frozen by flap detection")
        .tags("region", region, "pool", pool)
        .register(registry);
  }

  void applied(String pool) {
    changes(pool, "applied").increment();
  }

  void conflict(String pool) {
    changes(pool, "conflict").increment();
  }

  void failed(String pool, String kind) {
    changes(pool, "error-" + kind.toLowerCase(java.util.Locale.ROOT).replace('_', '-')).increment();
  }

  void failoverDuration(String pool, Duration d) {
    Timer.builder("quorate.failover.duration")
        .description(
            "From the first region's vote on a member to every authoritative server serving the change")
        .tags("region", region, "pool", pool)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(d);
  }

  private Counter changes(String pool, String outcome) {
    return Counter.builder("quorate.failover.changes")
        .description("DNS changes by pool and outcome")
        .tags("region", region, "pool", pool, "outcome", outcome)
        .register(registry);
  }
}
