package io.quorate.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alert meters for {@code /metrics}: events stored in the outbox by kind, delivery attempts by
 * channel and outcome, and the backlog (events with a pending delivery, read from the store every
 * {@link Dispatcher#BACKLOG_EVERY_MS}; -1 until first read). Label values are bounded: kinds and
 * channel ids come from the code and the config.
 */
public final class AlertMetrics {
  /** Counts nothing (tests and tools that run a dispatcher without a registry). */
  static final AlertMetrics NONE = new AlertMetrics();

  private final MeterRegistry registry;
  private final String region;
  private final AtomicLong pending = new AtomicLong(-1);

  private AlertMetrics() {
    this.registry = null;
    this.region = null;
  }

  public AlertMetrics(MeterRegistry registry, String region) {
    this.registry = registry;
    this.region = region;
    Gauge.builder("quorate.alert.outbox.pending", pending, AtomicLong::get)
        .description("Alert events with at least one delivery still pending (-1: not read yet)")
        .tags("region", region)
        .register(registry);
  }

  void raised(String kind) {
    if (registry != null) {
      Counter.builder("quorate.alert.events")
          .description("Alert events stored in the outbox, by kind")
          .tags("region", region, "kind", kind)
          .register(registry)
          .increment();
    }
  }

  void attempted(String channel, DeliveryResult.Outcome outcome) {
    if (registry != null) {
      Counter.builder("quorate.alert.delivery.attempts")
          .description("Delivery attempts by channel and outcome (delivered, retry, gone, failed)")
          .tags(
              "region",
              region,
              "channel",
              channel,
              "outcome",
              outcome.name().toLowerCase(Locale.ROOT))
          .register(registry)
          .increment();
    }
  }

  void pending(int events) {
    pending.set(events);
  }
}
