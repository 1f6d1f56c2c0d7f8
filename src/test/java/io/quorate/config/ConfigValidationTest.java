package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table of bad configuration files: each {@code config/bad/<kind>/<case>.yaml} sits next to a
 * {@code <case>.errors} file holding the exact errors expected, one {@code path: message} per line,
 * in order. Shared cases are loaded alone; region cases together with the example shared file.
 */
class ConfigValidationTest {
  /**
   * The environment the table runs with: valid tokens, a short one, an empty one, a TSIG secret
   * (from conf/example.env) and a TSIG secret of 9 bytes.
   */
  static final Map<String, String> ENV =
      io.quorate.testsupport.ExampleEnv.with(
          Map.of(
              "QUORATE_READ_TOKEN", "read-token-0123456789",
              "QUORATE_OPERATE_TOKEN", "operate-token-0123456789",
              "QUORATE_THIRD_TOKEN", "third-token-0123456789",
              "QUORATE_FOURTH_TOKEN", "fourth-token-0123456789",
              "QUORATE_SHORT_TOKEN", "short",
              "QUORATE_SHORT_TSIG", "c2hvcnQta2V5",
              "QUORATE_MESH_KEY", "mesh-key-0123456789abcdef0123456789abcdef",
              "QUORATE_EMPTY", ""));

  static final Path EXAMPLE_SHARED = Path.of("conf/quorate.yaml");

  private final ConfigLoader loader = new ConfigLoader(ENV::get);

  static Stream<String> sharedCases() throws Exception {
    return cases("shared");
  }

  static Stream<String> regionCases() throws Exception {
    return cases("region");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sharedCases")
  void badSharedFile(String name) throws Exception {
    Path file = dir("shared").resolve(name + ".yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, null));
    assertErrors(file, e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regionCases")
  void badRegionFile(String name) throws Exception {
    Path file = dir("region").resolve(name + ".yaml");
    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.load(EXAMPLE_SHARED, file));
    assertErrors(file, e);
  }

  @Test
  void everyCaseHasItsExpectedErrors() throws Exception {
    for (String kind : List.of("shared", "region")) {
      try (Stream<Path> files = Files.list(dir(kind))) {
        for (Path f : files.toList()) {
          String n = f.getFileName().toString();
          String twin =
              n.endsWith(".yaml") ? n.replace(".yaml", ".errors") : n.replace(".errors", ".yaml");
          assertTrue(Files.exists(f.resolveSibling(twin)), "missing " + twin);
          assertTrue(n.endsWith(".yaml") || n.endsWith(".errors"), "stray file " + n);
        }
      }
    }
    assertTrue(sharedCases().count() + regionCases().count() >= 30, "the table shrank");
  }

  private static void assertErrors(Path file, ConfigException e) throws IOException {
    Path expectedFile =
        file.resolveSibling(file.getFileName().toString().replace(".yaml", ".errors"));
    List<String> expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8);
    List<String> actual = e.errors().stream().map(ConfigError::toString).toList();
    assertEquals(String.join("\n", expected), String.join("\n", actual), file.toString());
    for (ConfigError error : e.errors()) {
      assertEquals(file.toString(), error.file(), "errors name the file they are in");
    }
  }

  private static Stream<String> cases(String kind) throws Exception {
    try (Stream<Path> files = Files.list(dir(kind))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  private static Path dir(String kind) throws URISyntaxException {
    return Path.of(ConfigValidationTest.class.getResource("/config/bad/" + kind).toURI());
  }
}
