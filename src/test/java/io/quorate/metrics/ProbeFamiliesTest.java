package io.quorate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.quorate.config.Target;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.probe.TlsInfo;
import io.quorate.testsupport.Targets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The per-target probe families rendered from {@link ProbeSeries} print exactly what the former
 * Micrometer meters printed (the same results recorded into both, text compared line by line),
 * forget a target on reload, and stay consistent while results and scrapes run concurrently.
 */
class ProbeFamiliesTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final TlsInfo CERT =
      new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=a", "CN=ca", T0.plusSeconds(86_400), 1);

  static PrometheusMeterRegistry registry(MockClock clock) {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
  }

  static ProbeResult down(String id, ErrorKind kind, double ms) {
    return ProbeResult.down(id, kind, "x", T0, Timings.total(ms));
  }

  static ProbeResult up(String id, double ms, TlsInfo tls) {
    return ProbeResult.up(id, "ok", T0, Timings.total(ms), tls, Map.of());
  }

  /** The lines of the four probe families (HELP, TYPE and samples), in scrape order. */
  static List<String> probeLines(PrometheusMeterRegistry reg) {
    return reg.scrape()
        .lines()
        .filter(l -> l.matches("^(# [A-Z]+ )?quorate_(probe_duration|probe_results|tls_cert).*"))
        .collect(Collectors.toList());
  }

  /** The meters as ProbeMetrics registered them before issue 8's change, as the oracle. */
  static final class MicrometerOracle {
    static final Duration[] SLOS = {
      Duration.ofMillis(5),
      Duration.ofMillis(10),
      Duration.ofMillis(25),
      Duration.ofMillis(50),
      Duration.ofMillis(100),
      Duration.ofMillis(250),
      Duration.ofMillis(500),
      Duration.ofSeconds(1),
      Duration.ofMillis(2500),
      Duration.ofSeconds(5),
      Duration.ofSeconds(10)
    };
    final PrometheusMeterRegistry reg;

    MicrometerOracle(MockClock clock) {
      reg = registry(clock);
    }

    void record(Target t, ProbeResult r) {
      Tags tags = Tags.of("region", "eu-west", "target", t.id(), "type", t.type().wireName());
      Timer.builder("quorate.probe.duration")
          .description("Probe duration")
          .tags(tags)
          .serviceLevelObjectives(SLOS)
          .register(reg)
          .record((long) (r.timings().totalMs() * 1_000_000), TimeUnit.NANOSECONDS);
      reg.counter(
              "quorate.probe.results",
              tags.and(
                  "outcome",
                  r.outcome().name().toLowerCase(Locale.ROOT),
                  "error_kind",
                  r.errorKind() == null ? "" : r.errorKind().wireName()))
          .increment();
      if (r.tls() != null) {
        AtomicLong expiry = new AtomicLong(r.tls().notAfter().getEpochSecond());
        Gauge.builder("quorate.tls.cert.expiry", expiry, AtomicLong::get)
            .description("Leaf certificate notAfter, Unix seconds")
            .baseUnit("timestamp_seconds")
            .tags(tags)
            .strongReference(true)
            .register(reg);
      }
    }
  }

  static final String MAX_A =
      "quorate_probe_duration_seconds_max{region=\"eu-west\",target=\"a\",type=\"dns\"} ";

  @Test
  void sameTextAsTheMicrometerMetersIncludingTheWindowedMax() {
    MockClock clock = new MockClock();
    PrometheusMeterRegistry reg = registry(clock);
    ProbeMetrics m = new ProbeMetrics(reg, "eu-west");
    MicrometerOracle oracle = new MicrometerOracle(clock);
    Target a = Targets.fake("a", 10_000, 1_000);
    Target b = Targets.fake("b", 10_000, 1_000);
    m.register(b); // registered, never probed: Micrometer had its timer with zero counts
    Timer.builder("quorate.probe.duration")
        .description("Probe duration")
        .tags("region", "eu-west", "target", "b", "type", "dns")
        .serviceLevelObjectives(MicrometerOracle.SLOS)
        .register(oracle.reg);
    List<ProbeResult> first =
        List.of(
            up("a", 5.0, CERT), // exactly on a bound: counted in le="0.005"
            up("a", 0.0, null),
            down("a", ErrorKind.REFUSED, 1.5),
            down("a", ErrorKind.REFUSED, 10_000.0),
            down("a", ErrorKind.TIMEOUT, 12_000.25)); // above the last bound: +Inf only
    for (ProbeResult r : first) {
      m.recordResult(a, r);
      oracle.record(a, r);
    }
    assertEquals(probeLines(oracle.reg), probeLines(reg));
    clock.add(Duration.ofSeconds(130)); // two of the three max slots reset: 12.00025 s still shown
    m.recordResult(a, up("a", 7.0, null));
    oracle.record(a, up("a", 7.0, null));
    assertEquals(probeLines(oracle.reg), probeLines(reg));
    assertTrue(probeLines(reg).contains(MAX_A + "12.00025"));
    clock.add(Duration.ofSeconds(60)); // the 12 s probe expired from the max, 7 ms is left
    assertEquals(probeLines(oracle.reg), probeLines(reg));
    assertTrue(probeLines(reg).contains(MAX_A + "0.007"));
    clock.add(Duration.ofMinutes(5));
    assertEquals(probeLines(oracle.reg), probeLines(reg));
  }

  @Test
  void exactLinesForAFewResults() {
    PrometheusMeterRegistry reg = registry(new MockClock());
    ProbeMetrics m = new ProbeMetrics(reg, "eu-west");
    Target a = Targets.fake("a", 10_000, 1_000);
    m.recordResult(a, down("a", ErrorKind.REFUSED, 30.0));
    m.recordResult(a, up("a", 2.0, CERT));
    String labels = "region=\"eu-west\",target=\"a\",type=\"dns\"";
    List<String> lines = probeLines(reg);
    assertEquals("# HELP quorate_probe_duration_seconds Probe duration", lines.get(0));
    assertEquals("# TYPE quorate_probe_duration_seconds histogram", lines.get(1));
    assertEquals(
        "quorate_probe_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 1", lines.get(2));
    assertEquals(
        "quorate_probe_duration_seconds_bucket{" + labels + ",le=\"0.025\"} 1", lines.get(4));
    assertEquals(
        "quorate_probe_duration_seconds_bucket{" + labels + ",le=\"0.05\"} 2", lines.get(5));
    assertEquals(
        "quorate_probe_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 2", lines.get(13));
    assertEquals("quorate_probe_duration_seconds_count{" + labels + "} 2", lines.get(14));
    assertEquals("quorate_probe_duration_seconds_sum{" + labels + "} 0.032", lines.get(15));
    assertEquals("quorate_probe_duration_seconds_max{" + labels + "} 0.03", lines.get(18));
    assertEquals(
        List.of(
            "# HELP quorate_probe_results_total  ",
            "# TYPE quorate_probe_results_total counter",
            "quorate_probe_results_total{error_kind=\"\",outcome=\"up\"," + labels + "} 1.0",
            "quorate_probe_results_total{error_kind=\"refused\",outcome=\"down\","
                + labels
                + "} 1.0",
            "# HELP quorate_tls_cert_expiry_timestamp_seconds Leaf certificate notAfter, Unix seconds",
            "# TYPE quorate_tls_cert_expiry_timestamp_seconds gauge",
            "quorate_tls_cert_expiry_timestamp_seconds{" + labels + "} 1.795428E9"),
        lines.subList(19, lines.size()));
  }

  @Test
  void forgetRemovesEverySeriesOfTheTargetAndOnlyIt() {
    PrometheusMeterRegistry reg = registry(new MockClock());
    ProbeMetrics m = new ProbeMetrics(reg, "eu-west");
    Target a = Targets.fake("a", 10_000, 1_000);
    Target b = Targets.fake("b", 10_000, 1_000);
    m.recordResult(a, up("a", 3.0, CERT));
    m.recordResult(b, up("b", 3.0, CERT));
    m.forget("a");
    String text = reg.scrape();
    assertFalse(text.contains("target=\"a\""), text);
    assertEquals(
        1,
        text.lines()
            .filter(l -> l.startsWith("quorate_tls_cert_expiry_timestamp_seconds{"))
            .count());
    assertTrue(
        text.contains("quorate_probe_duration_seconds_count{region=\"eu-west\",target=\"b\""));
    m.forget("b");
    assertEquals(List.of(), probeLines(reg));
    m.recordResult(a, up("a", 3.0, null)); // a probe still in flight when the reload came
    assertTrue(reg.scrape().contains("quorate_probe_results_total{error_kind=\"\",outcome=\"up\""));
  }

  @Test
  void otherRegistriesAndASecondAgentOnOneRegistryDoNotThrow() {
    PrometheusMeterRegistry reg = registry(new MockClock());
    new ProbeMetrics(reg, "eu-west");
    ProbeMetrics second = new ProbeMetrics(reg, "eu-west");
    second.recordResult(Targets.fake("z", 10_000, 1_000), up("z", 1.0, null));
    assertFalse(reg.scrape().contains("target=\"z\""));
    new ProbeMetrics(new SimpleMeterRegistry(), "eu-west")
        .recordResult(Targets.fake("z", 10_000, 1_000), up("z", 1.0, null));
  }

  @Test
  void recordingAllocatesNothingOnceTheTargetIsKnown() {
    ProbeMetrics m = new ProbeMetrics(registry(new MockClock()), "eu-west");
    Target a = Targets.fake("a", 10_000, 1_000);
    ProbeResult r = down("a", ErrorKind.TIMEOUT, 1_000.0);
    ProbeResult tls = up("a", 40.0, CERT);
    m.recordResult(a, r);
    m.recordResult(a, tls);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 10_000; i++) {
      m.recordResult(a, (i & 1) == 0 ? r : tls);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < 4_096, allocated + " bytes for 10,000 results");
  }

  /**
   * Event loops record while a worker scrapes: every scrape is consistent per target (the +Inf
   * bucket, the count and the results counters agree) and the last one has every result.
   */
  @Test
  void concurrentResultsAndScrapesStayConsistent() throws Exception {
    PrometheusMeterRegistry reg = registry(new MockClock());
    ProbeMetrics m = new ProbeMetrics(reg, "eu-west");
    int threads = 4;
    int perThread = 20_000;
    List<Thread> writers = new java.util.ArrayList<>();
    for (int w = 0; w < threads; w++) {
      Target t = Targets.fake("t" + (w % 2), 10_000, 1_000); // two threads per target
      writers.add(
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  m.recordResult(
                      t,
                      i % 3 == 0 ? up(t.id(), 3.0, null) : down(t.id(), ErrorKind.TIMEOUT, 20.0));
                }
              }));
    }
    writers.forEach(Thread::start);
    int scrapes = 0;
    while (writers.stream().anyMatch(Thread::isAlive) && scrapes < 1_000) {
      assertConsistent(reg.scrape());
      scrapes++;
    }
    for (Thread w : writers) {
      w.join(60_000);
      assertFalse(w.isAlive());
    }
    String last = reg.scrape();
    assertConsistent(last);
    for (String id : List.of("t0", "t1")) {
      assertEquals(2L * perThread, count(last, "quorate_probe_duration_seconds_count", id));
    }
    assertTrue(scrapes > 0);
  }

  private static void assertConsistent(String text) {
    for (String id : List.of("t0", "t1")) {
      long count = count(text, "quorate_probe_duration_seconds_count", id);
      long inf =
          count(text, "quorate_probe_duration_seconds_bucket", id + "\",type=\"dns\",le=\"+Inf");
      long results = count(text, "quorate_probe_results_total", id);
      assertEquals(count, inf, text);
      assertEquals(count, results, text);
    }
  }

  /** The sum of the samples of {@code name} whose line contains {@code target="<id>}. */
  private static long count(String text, String name, String id) {
    return text.lines()
        .filter(l -> l.startsWith(name + "{") && l.contains("target=\"" + id))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
