package io.quorate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers families rendered at scrape time beside Micrometer's meters. */
final class Families {
  private static final Logger LOG = LoggerFactory.getLogger(Families.class);

  private Families() {}

  /** Registers a one-family collector; see {@link #register(MeterRegistry, String, Runnable)}. */
  static void register(
      MeterRegistry registry, String name, io.prometheus.metrics.model.registry.Collector c) {
    register(
        registry,
        name,
        () -> ((PrometheusMeterRegistry) registry).getPrometheusRegistry().register(c));
  }

  /** Registers a several-family collector. */
  static void register(MeterRegistry registry, String name, MultiCollector c) {
    register(
        registry,
        name,
        () -> ((PrometheusMeterRegistry) registry).getPrometheusRegistry().register(c));
  }

  /**
   * Runs {@code registration} if {@code registry} is a Prometheus registry (other registries cannot
   * render scrape-time families: the family is then not exposed). A second agent on the same
   * registry (tests) would clash with the first one's family: logged, not registered.
   */
  private static void register(MeterRegistry registry, String name, Runnable registration) {
    if (!(registry instanceof PrometheusMeterRegistry)) {
      return;
    }
    try {
      registration.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.warn("metrics family not registered name={} reason={}", name, e.getMessage());
    }
  }
}
