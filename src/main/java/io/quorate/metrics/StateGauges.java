package io.quorate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.quorate.quorum.Status;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A per-target state gauge family ({@code <name>{…, state="up"} 1}, 0 for the other states)
 * rendered at scrape time from the agent's own state, instead of one Micrometer gauge per target
 * and state: with 10,000 targets the two state families were 100,000 registered gauges, about half
 * of the agent's live heap (issue 8). The exposition is the same as the gauges': one series per
 * target and state, labels sorted by name.
 *
 * <p>Only a Prometheus registry can render it; with another registry (unit tests) the family is
 * simply not exposed.
 */
final class StateGauges implements Collector {
  private static final String[] STATES = new String[Status.values().length];

  static {
    for (Status s : Status.values()) {
      STATES[s.ordinal()] = s.name().toLowerCase(Locale.ROOT);
    }
  }

  private final String name;
  private final String help;
  private final Consumer<BiConsumer<Labels, Status>> rows;

  /**
   * @param name the Prometheus name, e.g. {@code quorate_target_state}
   * @param rows calls its argument once per target with the target's labels (without {@code state})
   *     and current state, or null when it has none (every series is then 0)
   */
  private StateGauges(String name, String help, Consumer<BiConsumer<Labels, Status>> rows) {
    this.name = name;
    this.help = help;
    this.rows = rows;
  }

  /** Registers the family with {@code registry} if it is a Prometheus registry. */
  static void register(
      MeterRegistry registry, String name, String help, Consumer<BiConsumer<Labels, Status>> rows) {
    Families.register(registry, name, new StateGauges(name, help, rows));
  }

  @Override
  public String getPrometheusName() {
    return name;
  }

  @Override
  public MetricSnapshot collect() {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    rows.accept(
        (labels, current) -> {
          for (Status s : Status.values()) {
            b.dataPoint(
                GaugeDataPointSnapshot.builder()
                    .labels(labels.add("state", STATES[s.ordinal()]))
                    .value(s == current ? 1 : 0)
                    .build());
          }
        });
    return b.build();
  }
}
