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
  private final ConfigLoader loader = new ConfigLoader(Map.of("K", "k-0123456789abcdef")::get);

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
}
