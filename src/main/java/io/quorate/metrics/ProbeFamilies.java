package io.quorate.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The per-target probe families, rendered at scrape time from {@link ProbeSeries} with the
 * exposition the former Micrometer meters had (issue 8: with 10,000 targets they were most of the
 * agent's live heap): {@code quorate_probe_duration_seconds} (histogram, 11 buckets), its {@code
 * _max} gauge, {@code quorate_probe_results_total{error_kind, outcome}} (only the pairs a target
 * has seen) and {@code quorate_tls_cert_expiry_timestamp_seconds} (once a certificate was seen).
 */
final class ProbeFamilies implements MultiCollector {
  static final String DURATION = "quorate_probe_duration_seconds";
  static final String MAX = "quorate_probe_duration_seconds_max";
  static final String RESULTS = "quorate_probe_results";
  static final String CERT = "quorate_tls_cert_expiry_timestamp_seconds";
  // as Micrometer wrote them: the timer's description twice, a blank one for the counter
  private static final String DURATION_HELP = "Probe duration";
  private static final String RESULTS_HELP = " ";
  private static final String CERT_HELP = "Leaf certificate notAfter, Unix seconds";
  private static final String[] OUTCOMES = names(Outcome.values().length, true);
  private static final String[] KINDS = names(ErrorKind.values().length, false);

  private final Supplier<? extends Iterable<ProbeSeries>> series;
  private final LongSupplier wallMs;

  ProbeFamilies(Supplier<? extends Iterable<ProbeSeries>> series, LongSupplier wallMs) {
    this.series = series;
    this.wallMs = wallMs;
  }

  private static String[] names(int n, boolean outcome) {
    String[] s = new String[n];
    for (int i = 0; i < n; i++) {
      s[i] =
          outcome
              ? Outcome.values()[i].name().toLowerCase(Locale.ROOT)
              : ErrorKind.values()[i].wireName();
    }
    return s;
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(DURATION, MAX, RESULTS, CERT);
  }

  @Override
  public MetricSnapshots collect() {
    HistogramSnapshot.Builder duration = HistogramSnapshot.builder().name(DURATION);
    GaugeSnapshot.Builder max = GaugeSnapshot.builder().name(MAX);
    CounterSnapshot.Builder results = CounterSnapshot.builder().name(RESULTS);
    GaugeSnapshot.Builder cert = GaugeSnapshot.builder().name(CERT);
    long now = wallMs.getAsLong();
    int targets = 0;
    int certs = 0;
    int pairs = 0;
    for (ProbeSeries p : series.get()) {
      ProbeSeries.Snapshot s = p.snapshot(now);
      targets++;
      duration.dataPoint(
          HistogramDataPointSnapshot.builder()
              .labels(p.labels)
              .classicHistogramBuckets(ClassicHistogramBuckets.of(ProbeSeries.BOUNDS, s.buckets()))
              .sum(s.sumNanos() / 1e9)
              .build());
      max.dataPoint(gauge(p.labels, s.maxNanos() / 1e9));
      for (int i = 0; i < s.keys().length; i++, pairs++) {
        results.dataPoint(
            CounterDataPointSnapshot.builder()
                .labels(p.labels.merge(resultLabels(s.keys()[i])))
                .value(s.counts()[i])
                .build());
      }
      if (s.certExpiry() != ProbeSeries.NO_CERT) {
        certs++;
        cert.dataPoint(gauge(p.labels, s.certExpiry()));
      }
    }
    List<MetricSnapshot> out = new ArrayList<>(4);
    if (targets > 0) {
      out.add(duration.help(DURATION_HELP).build());
      out.add(max.help(DURATION_HELP).build());
    }
    if (pairs > 0) {
      out.add(results.help(RESULTS_HELP).build());
    }
    if (certs > 0) {
      out.add(cert.help(CERT_HELP).build());
    }
    return new MetricSnapshots(out);
  }

  private static GaugeDataPointSnapshot gauge(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static Labels resultLabels(int key) {
    ErrorKind kind = ProbeSeries.kind(key);
    return Labels.of(
        "error_kind",
        kind == null ? "" : KINDS[kind.ordinal()],
        "outcome",
        OUTCOMES[ProbeSeries.outcome(key).ordinal()]);
  }
}
