package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code statusPage:} block: defaults, a full example, and one exact error per bad case. */
class StatusPageConfigTest {
  static final String BASE =
      "regions: [a]\n"
          + "groups: [{id: web, name: Web hosting}]\n"
          + "targets:\n"
          + "  - {id: web-1, type: http, group: web, address: 127.0.0.11}\n"
          + "  - {id: ref-dns, type: tcp, address: 127.0.0.12, port: 53}\n";
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  @Test
  void absentMeansTokenModeWithTheDefaultTitle() throws Exception {
    StatusPage p = loader.parseShared(BASE, "x.yaml").statusPage();
    assertEquals(StatusPage.DEFAULT, p);
    assertEquals("Service status", p.title());
    assertEquals("web-1", p.displayName("web-1"));
  }

  @Test
  void fullExample() throws Exception {
    String yaml =
        BASE
            + "statusPage:\n"
            + "  title: Example Hosting status\n"
            + "  public: true\n"
            + "  members: {web-1: Web server 1}\n"
            + "  hidden: [ref-dns]\n";
    StatusPage p = loader.parseShared(yaml, "x.yaml").statusPage();
    assertEquals(
        new StatusPage(
            "Example Hosting status", true, Map.of("web-1", "Web server 1"), List.of("ref-dns")),
        p);
    assertEquals("Web server 1", p.displayName("web-1"));
    assertEquals("ref-dns", p.displayName("ref-dns"));
  }

  static Stream<Arguments> badCases() {
    return Stream.of(
        Arguments.of("statusPage: []", "statusPage: must be a mapping"),
        Arguments.of("statusPage: {colour: red}", "statusPage.colour: unknown key"),
        Arguments.of("statusPage: {title: ''}", "statusPage.title: must not be empty"),
        Arguments.of(
            "statusPage: {title: " + "x".repeat(101) + "}",
            "statusPage.title: at most 100 characters"),
        Arguments.of(
            "statusPage: {title: \"a\\tb\"}",
            "statusPage.title: must not contain control characters"),
        Arguments.of("statusPage: {public: 'yes'}", "statusPage.public: must be a boolean"),
        Arguments.of("statusPage: {members: [web-1]}", "statusPage.members: must be a mapping"),
        Arguments.of(
            "statusPage: {members: {web-9: Nine}}",
            "statusPage.members.web-9: no target with id 'web-9'"),
        Arguments.of(
            "statusPage: {members: {web-1: 5}}", "statusPage.members.web-1: must be a string"),
        Arguments.of("statusPage: {hidden: web-1}", "statusPage.hidden: must be a list"),
        Arguments.of(
            "statusPage: {hidden: [nope]}", "statusPage.hidden[0]: no target with id 'nope'"),
        Arguments.of(
            "statusPage: {hidden: [web-1, web-1]}",
            "statusPage.hidden[1]: duplicate target 'web-1'"),
        Arguments.of(
            "statusPage: {public: 1, members: {x: ''}}",
            "statusPage.public: must be a boolean\n"
                + "statusPage.members.x: must not be empty\n"
                + "statusPage.members.x: no target with id 'x'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCases")
  void badStatusPage(String block, String expected) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> loader.parseShared(BASE + block + "\n", "x.yaml"));
    assertEquals(
        expected, String.join("\n", e.errors().stream().map(ConfigError::toString).toList()));
  }
}
