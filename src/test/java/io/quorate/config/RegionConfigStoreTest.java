package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The region file's {@code store:} block: defaults, values, and every error with its path. */
class RegionConfigStoreTest {
  @TempDir Path dir;

  private final ConfigLoader loader = new ConfigLoader(ConfigValidationTest.ENV::get);

  RegionConfig load(String store) throws Exception {
    Path file = dir.resolve("eu-west.yaml");
    Files.writeString(file, "region: eu-west\ndataDir: data\n" + store);
    return loader.load(ConfigValidationTest.EXAMPLE_SHARED, file).region();
  }

  @Test
  void absentMeansTheDefaults() throws Exception {
    assertEquals(RegionConfig.Store.DEFAULT, load("").store());
    assertEquals(
        new RegionConfig.Store(7, 90, 730, 400, 400, 10_000_000), RegionConfig.Store.DEFAULT);
  }

  @Test
  void givenValuesAndDefaultsForTheRest() throws Exception {
    assertEquals(
        new RegionConfig.Store(3, 30, 365, 400, 90, 2_000_000),
        load("store: {rawDays: 3, minuteDays: 30, dailyDays: 365, auditDays: 90, maxRows: 2000000}\n")
            .store());
  }

  @Test
  void badValuesAreErrorsWithTheirPaths() throws Exception {
    Map<String, List<String>> cases = new LinkedHashMap<>();
    cases.put("store: 7\n", List.of("store: must be a mapping"));
    cases.put("store: {rawDays: 0}\n", List.of("store.rawDays: must be between 1 and 3650"));
    cases.put(
        "store: {minuteDays: 3651}\n", List.of("store.minuteDays: must be between 1 and 3650"));
    cases.put("store: {dailyDays: seven}\n", List.of("store.dailyDays: must be an integer"));
    cases.put("store: {historyDays: 1.5}\n", List.of("store.historyDays: must be an integer"));
    cases.put("store: {auditDays: -1}\n", List.of("store.auditDays: must be between 1 and 3650"));
    cases.put(
        "store: {maxRows: 999}\n", List.of("store.maxRows: must be between 1000 and 1000000000"));
    cases.put(
        "store: {minuteDays: 100, dailyDays: 30}\n",
        List.of("store.dailyDays: must be at least minuteDays (100)"));
    cases.put("store: {rawdays: 7}\n", List.of("store.rawdays: unknown key"));
    cases.put(
        "store: {rawDays: 0, auditDays: x, maxRows: 0}\n",
        List.of(
            "store.rawDays: must be between 1 and 3650",
            "store.auditDays: must be an integer",
            "store.maxRows: must be between 1000 and 1000000000"));
    for (Map.Entry<String, List<String>> c : cases.entrySet()) {
      ConfigException e = assertThrows(ConfigException.class, () -> load(c.getKey()), c.getKey());
      List<String> actual = e.errors().stream().map(ConfigError::toString).toList();
      assertEquals(c.getValue(), actual, c.getKey());
    }
  }
}
