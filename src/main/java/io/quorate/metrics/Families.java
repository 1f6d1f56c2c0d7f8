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

  /**
   * Registers {@code collector} with {@code registry} if it is a Prometheus registry (other
   * registries cannot render it: the family is then not exposed). A second agent on the same
   * registry (tests) would clash with the first one's family: logged, not registered.
   */
  static void register(MeterRegistry registry, String name, Object collector) {
    if (!(registry instanceof PrometheusMeterRegistry p)) {
      return;
    }
    try {
      if (collector instanceof MultiCollector m) {
        p.getPrometheusRegistry().register(m);
      } else {
        p.getPrometheusRegistry()
            .register((io.prometheus.metrics.model.registry.Collector) collector);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.warn("metrics family not registered name={} reason={}", name, e.getMessage());
    }
  }
}
