package io.quorate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.quorum.Status;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scrape-time transition family renders what the former per-target Micrometer counters did
 * (same names, TYPE, labels and values; the HELP line now has a text), and a forgotten target's
 * series are gone.
 */
class TransitionCountsTest {
  record T(String target, Status to) {}

  static final List<T> TRANSITIONS =
      List.of(
          new T("web-1", Status.UP),
          new T("web-1", Status.DOWN),
          new T("web-1", Status.UP),
          new T("mx-a", Status.DEGRADED),
          new T("ns-1", Status.UNKNOWN),
          new T("web-1", Status.UP));

  private static String family(PrometheusMeterRegistry r) {
    return r.scrape()
        .lines()
        .filter(l -> l.contains("quorate_verdict_transitions"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  @Test
  void theExpositionIsTheFormerCountersOwn() {
    PrometheusMeterRegistry former = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (T t : TRANSITIONS) {
      Counter.builder("quorate.verdict.transitions")
          .tags(
              "region",
              "eu-west",
              "target",
              t.target(),
              "to",
              t.to().name().toLowerCase(Locale.ROOT))
          .register(former)
          .increment();
    }
    PrometheusMeterRegistry now = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TransitionCounts counts = TransitionCounts.register(now, "eu-west");
    TRANSITIONS.forEach(t -> counts.count(t.target(), t.to()));

    String expected =
        family(former).replace("transitions_total  ", "transitions_total " + TransitionCounts.HELP);
    assertTrue(expected.contains("to=\"up\"} 3.0"), expected);
    assertEquals(expected, family(now));

    counts.forget("web-1");
    assertTrue(family(now).lines().noneMatch(l -> l.contains("web-1")), family(now));
    assertTrue(family(now).contains("target=\"mx-a\""), family(now));
  }
}
