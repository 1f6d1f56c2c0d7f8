package io.quorate.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.quorate.quorum.Status;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code quorate_verdict_transitions_total{region, target, to}} rendered at scrape time from one
 * array of counts per target, instead of one Micrometer counter per target and state (10,000
 * targets made 10,000+ registered counters and a registry lookup per transition). The exposition is
 * the counters' own (a series per target and state reached at least once, labels sorted by name),
 * except that the HELP line now has a text. Counting a transition allocates nothing once the target
 * has its array.
 *
 * <p>Only a Prometheus registry can render it; with another registry the counts are kept but not
 * exposed.
 */
final class TransitionCounts implements Collector {
  static final String NAME = "quorate_verdict_transitions";

  /** The former counters had no description (an empty HELP line); now they say what they count. */
  static final String HELP = "Quorum verdict changes of the target, by the state reached";

  private static final Status[] STATES = Status.values();
  private static final String[] NAMES = new String[STATES.length];

  static {
    for (Status s : STATES) {
      NAMES[s.ordinal()] = s.name().toLowerCase(Locale.ROOT);
    }
  }

  private final String region;
  private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();

  private TransitionCounts(String region) {
    this.region = region;
  }

  /** The family for {@code region}, registered with {@code registry} if it is a Prometheus one. */
  static TransitionCounts register(MeterRegistry registry, String region) {
    TransitionCounts c = new TransitionCounts(region);
    Families.register(registry, NAME, c);
    return c;
  }

  /** One transition of {@code target}'s verdict to {@code to}. */
  void count(String target, Status to) {
    counts
        .computeIfAbsent(target, t -> new AtomicLongArray(STATES.length))
        .incrementAndGet(to.ordinal());
  }

  /** Forgets {@code target}'s series (removed or changed by a reload). */
  void forget(String target) {
    counts.remove(target);
  }

  @Override
  public String getPrometheusName() {
    return NAME;
  }

  @Override
  public MetricSnapshot collect() {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(NAME).help(HELP);
    counts.forEach(
        (target, n) -> {
          for (Status s : STATES) {
            long v = n.get(s.ordinal());
            if (v > 0) {
              b.dataPoint(
                  CounterDataPointSnapshot.builder()
                      .labels(
                          Labels.of("region", region, "target", target, "to", NAMES[s.ordinal()]))
                      .value(v)
                      .build());
            }
          }
        });
    return b.build();
  }
}
