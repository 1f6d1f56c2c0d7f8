package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reload diff (ADR 0017) and the run-time-fixed fields, on configs the real loader read. */
class ConfigDiffTest {
  private final ConfigLoader loader =
      new ConfigLoader(
          Map.of(
                  "K",
                  "k-0123456789abcdef",
                  "OLD",
                  "whsec_b2xkLWtleS1mb3ItcXVvcmF0ZS10ZXN0cy0xMjM0NTY3OA==",
                  "NEW",
                  "whsec_bmV3LWtleS1mb3ItcXVvcmF0ZS10ZXN0cw==")
              ::get);

  private QuorateConfig shared(String body) throws ConfigException {
    return loader.parseShared("regions: [a, b, c]\n" + body, "quorate.yaml");
  }

  private static String target(String id, int port, String path) {
    return "  - {id: "
        + id
        + ", type: http, address: 127.0.0.1, port: "
        + port
        + ", http: {path: "
        + path
        + "}}\n";
  }

  @Test
  void targetsAreAddedRemovedChangedOrUnchangedByIdAndRecordEquality() throws Exception {
    QuorateConfig before =
        shared(
            "targets:\n"
                + target("keep", 80, "/h")
                + target("edit", 81, "/h")
                + target("gone", 82, "/h")
                + target("same-check", 83, "/h"));
    QuorateConfig after =
        shared(
            "targets:\n"
                + target("new", 90, "/h")
                + target("same-check", 83, "/h")
                + target("edit", 81, "/other")
                + target("keep", 80, "/h"));
    ConfigDiff d = ConfigDiff.of(before, after);
    assertEquals(List.of("new"), d.targets().added());
    assertEquals(List.of("gone"), d.targets().removed());
    assertEquals(List.of("edit"), d.targets().changed(), "a check field (http.path) counts");
    assertEquals(List.of("same-check", "keep"), d.targets().unchanged(), "new config order");
    assertEquals(Set.of("new", "edit"), d.targets().restarted());
    assertTrue(d.pools().isEmpty());
  }

  @Test
  void aDefaultThatChangesATargetsEffectiveValueChangesIt() throws Exception {
    String t = "targets:\n" + target("x", 80, "/h");
    QuorateConfig before = shared("defaults: {intervalMs: 10000}\n" + t);
    QuorateConfig after = shared("defaults: {intervalMs: 20000}\n" + t);
    assertEquals(List.of("x"), ConfigDiff.of(before, after).targets().changed());
    assertTrue(ConfigDiff.of(before, shared("defaults: {intervalMs: 10000}\n" + t)).isEmpty());
  }

  private static RegionConfig region(String host, int port, String dataDir) {
    return new RegionConfig(
        "a",
        new RegionConfig.Listen(host, port),
        Path.of(dataDir),
        List.of(),
        RegionConfig.Scheduler.DEFAULT,
        RegionConfig.Mesh.NONE);
  }

  @Test
  void runTimeFixedFieldsAreEachAnErrorAtTheirPath() throws Exception {
    String t = "targets:\n" + target("x", 80, "/h");
    LoadedConfig running =
        new LoadedConfig(shared("quorum: {size: 2}\n" + t), region("127.0.0.1", 8080, "d"), "h1");
    LoadedConfig next =
        new LoadedConfig(
            shared("quorum: {size: 3, heartbeatMs: 500}\n" + t + target("y", 81, "/h")),
            region("127.0.0.2", 8080, "other"),
            "h2");
    List<ConfigError> errors = ReloadGuard.check(running, next, "s.yaml", "r.yaml");
    assertEquals(
        List.of(
            new ConfigError("s.yaml", "quorum.size", ReloadGuard.NEEDS_RESTART),
            new ConfigError("s.yaml", "quorum.heartbeatMs", ReloadGuard.NEEDS_RESTART),
            new ConfigError("r.yaml", "listen", ReloadGuard.NEEDS_RESTART),
            new ConfigError("r.yaml", "dataDir", ReloadGuard.NEEDS_RESTART)),
        errors);
    LoadedConfig targetsOnly =
        new LoadedConfig(
            shared("quorum: {size: 2}\n" + t + target("y", 81, "/h")),
            region("127.0.0.1", 8080, "d"),
            "h3");
    assertEquals(List.of(), ReloadGuard.check(running, targetsOnly, "s.yaml", "r.yaml"));
  }

  private static String services(
      String hookSecrets, String otherChannel, String slos, String extra) {
    return "targets:\n"
        + target("x", 80, "/h")
        + "alerts:\n  channels:\n"
        + "    - {id: hook, type: webhook, url: 'https://hooks.example.test/q', secrets: "
        + hookSecrets
        + "}\n"
        + otherChannel
        + "  rules:\n    - {kinds: ['verdict.*'], channels: [hook]}\n"
        + "slos:\n"
        + slos
        + extra;
  }

  @Test
  void channelsSlosAndWindowsAreDiffedByIdAndReloadWithoutARestart() throws Exception {
    String keepSlo = "  - {id: keep, target: x, objective: 99.9}\n";
    QuorateConfig before =
        shared(
            services(
                "['${env:OLD}']",
                "    - {id: gone, type: webhook, url: 'https://b.example.test/q', format: slack}\n",
                keepSlo + "  - {id: edit, target: x, objective: 99.0}\n",
                "sla: {objective: 99.9}\n"));
    QuorateConfig after =
        shared(
            services(
                "['${env:NEW}', '${env:OLD}']",
                "    - {id: fresh, type: webhook, url: 'https://c.example.test/q', format: slack}\n",
                keepSlo + "  - {id: edit, target: x, objective: 99.5}\n",
                "sla: {objective: 99.5}\nmaintenance:\n"
                    + "  - {id: w, title: T, targets: [x], start: '2030-03-01T22:00:00Z',"
                    + " end: '2030-03-02T02:00:00Z'}\n"));
    ConfigDiff d = ConfigDiff.of(before, after);
    assertEquals(List.of("fresh"), d.channels().added());
    assertEquals(List.of("gone"), d.channels().removed());
    assertEquals(List.of("hook"), d.channels().changed(), "a second secret (rotation) counts");
    assertEquals(List.of("edit"), d.slos().changed());
    assertEquals(List.of("keep"), d.slos().unchanged());
    assertEquals(List.of("w"), d.windows().added());
    assertTrue(d.targets().isEmpty());
    RegionConfig r = region("127.0.0.1", 8080, "d");
    assertEquals(
        List.of(),
        ReloadGuard.check(
            new LoadedConfig(before, r, "h1"), new LoadedConfig(after, r, "h2"), "s", "r"),
        "alerts, slos, sla and maintenance reload live since the 2026-11-23 amendment");
  }
}
