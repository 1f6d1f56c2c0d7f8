package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.LoadedConfig;
import io.quorate.config.MaintenanceWindow;
import io.quorate.config.QuorateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's generated config, loaded by the ordinary loader: a public status page with friendly
 * names, one announced window ahead (never active during a run), SLA terms and one SLO.
 */
class DemoConfigTest {
  @TempDir Path dir;

  @Test
  void theSharedConfigHasAPublicStatusPageAWindowAheadAndObjectives() throws Exception {
    Path ca = dir.resolve("ca.pem");
    try (var in = DemoConfig.class.getResourceAsStream("/demo/tls/ca.pem")) {
      Files.write(ca, in.readAllBytes());
    }
    DemoOptions o = new DemoOptions(18080, 15353, 18480, 12525, 11143, 11110, 15300);
    List<String> urls =
        List.of("http://127.0.0.1:18080", "http://127.0.0.1:18081", "http://127.0.0.1:18082");
    List<LoadedConfig> loaded = new DemoConfig(dir, o, ca).write(List.of(urls, urls, urls));
    assertEquals(3, loaded.size());
    QuorateConfig c = loaded.get(0).shared();

    assertTrue(c.statusPage().publicMode());
    assertEquals("Quorate demo status", c.statusPage().title());
    assertEquals("Web server 2", c.statusPage().displayName("web-2"));
    assertEquals(12, c.statusPage().members().size(), "every target has a friendly name");

    MaintenanceWindow w = c.maintenance().get(0);
    assertEquals(
        List.of("web-3-upgrade"), c.maintenance().stream().map(MaintenanceWindow::id).toList());
    assertTrue(w.announce());
    Instant now = Instant.now();
    assertTrue(w.start().isAfter(now.plusSeconds(3600)), "not active during a run: " + w.start());
    assertTrue(w.start().isBefore(now.plusSeconds(2 * 86_400)), "listed as planned: " + w.start());

    assertEquals(99.9, c.objectives().terms().objectivePercent());
    assertEquals(99.5, c.objectives().termsFor("mail").orElseThrow().terms().objectivePercent());
    assertEquals("web", c.objectives().slo("web-availability").orElseThrow().group());
  }

  @Test
  void theAnnouncedWindowIsTomorrowAtTwoUtc() {
    assertEquals(
        Map.of("MAINT_START", "2026-11-23T02:00:00Z", "MAINT_END", "2026-11-23T03:00:00Z"),
        DemoConfig.maintenanceTimes(Instant.parse("2026-11-22T23:59:59Z")));
    assertEquals(
        Map.of("MAINT_START", "2026-11-23T02:00:00Z", "MAINT_END", "2026-11-23T03:00:00Z"),
        DemoConfig.maintenanceTimes(Instant.parse("2026-11-22T00:00:00Z")));
  }
}
