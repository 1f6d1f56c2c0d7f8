package io.quorate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.config.ProbeType;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.quorum.Status;
import org.junit.jupiter.api.Test;

/**
 * The per-target state family rendered at scrape time has exactly the series the former one gauge
 * per target and state had: one per state, 1 for the current one, labels sorted by name.
 */
class StateGaugesTest {
  private static Target target(String id) {
    return new Target(
        id,
        ProbeType.SMTP,
        null,
        "127.0.0.1",
        25,
        10_000,
        2_000,
        null,
        2,
        2,
        new SmtpCheck(TlsMode.NONE, null, false, null, null));
  }

  @Test
  void oneSeriesPerStateWithTheCurrentOneAtOne() {
    PrometheusMeterRegistry reg = Registries.prometheus();
    ProbeMetrics m = new ProbeMetrics(reg, "eu-west");
    Target a = target("a");
    m.register(a);
    m.register(target("b"));
    m.recordState(a, Status.DOWN);
    String text = reg.scrape();
    String prefix = "quorate_target_state{region=\"eu-west\",state=\"";
    assertTrue(text.contains(prefix + "down\",target=\"a\",type=\"smtp\"} 1.0"), text);
    assertTrue(text.contains(prefix + "unknown\",target=\"a\",type=\"smtp\"} 0.0"), text);
    assertTrue(text.contains(prefix + "unknown\",target=\"b\",type=\"smtp\"} 1.0"), text);
    long series = text.lines().filter(l -> l.startsWith("quorate_target_state{")).count();
    assertEquals(2L * Status.values().length, series);
    assertEquals(1, text.lines().filter(l -> l.startsWith("# TYPE quorate_target_state ")).count());
  }

  @Test
  void secondFamilyOnOneRegistryAndOtherRegistriesDoNotThrow() {
    PrometheusMeterRegistry reg = Registries.prometheus();
    new ProbeMetrics(reg, "eu-west");
    new ProbeMetrics(reg, "eu-west");
    ProbeMetrics simple = new ProbeMetrics(new SimpleMeterRegistry(), "eu-west");
    simple.recordState(target("a"), Status.UP);
    assertFalse(reg.scrape().contains("target=\"a\""));
  }
}
