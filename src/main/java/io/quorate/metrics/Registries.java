package io.quorate.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The agent's Prometheus registry, with filters that keep label cardinality bounded. */
public final class Registries {
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE");

  private Registries() {}

  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(boundedHttpMethods());
    return registry;
  }

  /**
   * Vert.x labels HTTP meters with the request method, and accepts any token as a method: without
   * this, every made-up method a client sends would create new series (unbounded memory).
   */
  static MeterFilter boundedHttpMethods() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String m = id.getTag("method");
        if (m == null || METHODS.contains(m) || !id.getName().startsWith("vertx.http")) {
          return id;
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) {
          tags.add("method".equals(t.getKey()) ? Tag.of("method", "OTHER") : t);
        }
        return id.replaceTags(tags);
      }
    };
  }
}
