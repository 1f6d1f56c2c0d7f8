package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.maintenance.Occurrence;
import io.quorate.testsupport.ExampleEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared file's {@code maintenance:} list: a valid round trip, the calendar, every error. */
class MaintenanceConfigTest {
  private static final String HEAD =
      String.join(
          "\n",
          "regions: [eu-west]",
          "groups: [{id: web, name: Web}]",
          "targets:",
          "  - {id: web-1, type: http, group: web, address: 127.0.0.11}",
          "  - {id: web-2, type: http, group: web, address: 127.0.0.12}",
          "  - {id: db-1, type: http, address: 127.0.0.13}",
          "");

  private static final String VALID =
      HEAD
          + String.join(
              "\n",
              "maintenance:",
              "  - id: patch-tuesday",
              "    title: Monthly patching",
              "    description: \"Kernel updates.\\nShort outages.\"",
              "    groups: [web]",
              "    every: Second Tuesday 02:00–04:00 Europe/London",
              "    from: 2025-01-01",
              "    until: '2025-12-31'",
              "    failover: freeze",
              "  - id: db-move",
              "    title: Database move",
              "    targets: [db-1]",
              "    start: 2025-06-01T22:00:00Z",
              "    end: '2025-06-02T02:00:00+01:00'",
              "    announce: false",
              "");

  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  @TempDir Path tmp;

  @Test
  void absentMeansNone() throws Exception {
    assertEquals(List.of(), loader.parseShared(HEAD, "x.yaml").maintenance());
  }

  @Test
  void validWindowsRoundTripThroughTheLoader() throws Exception {
    Path file = Files.writeString(tmp.resolve("quorate.yaml"), VALID);
    List<MaintenanceWindow> ws = loader.load(file, null).shared().maintenance();
    assertEquals(2, ws.size());
    MaintenanceWindow patch = ws.get(0);
    assertEquals("patch-tuesday", patch.id());
    assertEquals("Monthly patching", patch.title());
    assertEquals("Kernel updates.\nShort outages.", patch.description());
    assertEquals(List.of(), patch.targets());
    assertEquals(List.of("web"), patch.groups());
    assertTrue(patch.recurring());
    assertNull(patch.start());
    assertEquals(MaintenanceWindow.FailoverMode.FREEZE, patch.failover());
    assertTrue(patch.announce());
    MaintenanceWindow.Recurrence r = patch.recurrence();
    assertEquals(MaintenanceWindow.Frequency.MONTHLY, r.frequency());
    assertEquals(2, r.nth());
    assertEquals(DayOfWeek.TUESDAY, r.weekday());
    assertEquals(LocalTime.of(2, 0), r.from());
    assertEquals(LocalTime.of(4, 0), r.to());
    assertEquals(ZoneId.of("Europe/London"), r.zone());
    assertEquals(LocalDate.of(2025, 1, 1), r.validFrom());
    assertEquals(LocalDate.of(2025, 12, 31), r.until());
    assertEquals("Second Tuesday 02:00–04:00 Europe/London", r.text());

    MaintenanceWindow move = ws.get(1);
    assertFalse(move.recurring());
    assertNull(move.description());
    assertEquals(List.of("db-1"), move.targets());
    assertEquals(Instant.parse("2025-06-01T22:00:00Z"), move.start());
    assertEquals(Instant.parse("2025-06-02T01:00:00Z"), move.end());
    assertEquals(MaintenanceWindow.FailoverMode.ACT, move.failover());
    assertFalse(move.announce());
  }

  @Test
  void calendarExpandsARecurringWindowWithItsGroup() throws Exception {
    MaintenanceCalendar cal = new MaintenanceCalendar(loader.parseShared(VALID, "x.yaml"));
    List<Occurrence> june =
        cal.between(Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-07-01T00:00:00Z"));
    assertEquals(
        List.of(
            "db-move 2025-06-01T22:00:00Z 2025-06-02T01:00:00Z [db-1]",
            "patch-tuesday 2025-06-10T01:00:00Z 2025-06-10T03:00:00Z [web-1, web-2]"),
        june.stream().map(MaintenanceConfigTest::line).toList());

    Instant inside = Instant.parse("2025-06-10T02:59:59Z");
    assertEquals(
        List.of("patch-tuesday 2025-06-10T01:00:00Z 2025-06-10T03:00:00Z [web-1, web-2]"),
        cal.active(inside).stream().map(MaintenanceConfigTest::line).toList());
    assertEquals(
        Instant.parse("2025-06-10T03:00:00Z"), cal.covering("web-2", inside).orElseThrow().end());
    assertTrue(cal.covering("db-1", inside).isEmpty());
    assertTrue(cal.freezes("web-1", inside));
    Instant after = Instant.parse("2025-06-10T03:00:00Z");
    assertTrue(cal.covering("web-1", after).isEmpty(), "the end is exclusive");
    assertFalse(cal.freezes("web-1", after));
    // GMT in January: 02:00 local is 02:00Z; until 2025-12-31 stops it in 2026
    assertTrue(cal.covering("web-1", Instant.parse("2025-01-14T02:00:00Z")).isPresent());
    assertTrue(cal.active(Instant.parse("2026-01-13T02:30:00Z")).isEmpty());
  }

  static Stream<Arguments> badWindows() {
    String ok = "title: T, targets: [web-1], every: daily 02:00-03:00 UTC";
    return Stream.of(
        bad("maintenance: {id: a}", "maintenance: must be a list"),
        bad("maintenance: [42]", "maintenance[0]: must be a mapping"),
        bad(
            "maintenance: [{}]",
            "maintenance[0].id: required",
            "maintenance[0].title: required",
            "maintenance[0]: needs targets or groups (at least one non-empty list)",
            "maintenance[0]: needs start and end (one-off) or every (recurring)"),
        bad(
            "maintenance: [{id: Patch!, " + ok + ", window: x}]",
            "maintenance[0].window: unknown key",
            "maintenance[0].id: must match [a-z0-9][a-z0-9._-]*"),
        bad(
            "maintenance: [{id: " + "a".repeat(64) + ", " + ok + "}]",
            "maintenance[0].id: must be at most 63 characters"),
        bad(
            "maintenance: [{id: w, " + ok + "}, {id: w, " + ok + "}]",
            "maintenance[1].id: duplicate maintenance window \"w\" (first at maintenance[0].id)"),
        bad(
            "maintenance: [{id: w, title: '"
                + "t".repeat(201)
                + "', targets: [web-1],"
                + " every: daily 02:00-03:00 UTC, description: '"
                + "d".repeat(2001)
                + "'}]",
            "maintenance[0].title: must be at most 200 characters",
            "maintenance[0].description: must be at most 2000 characters"),
        bad(
            "maintenance: [{id: w, title: \"a\\nb\", description: \"x\\ty\", targets: [web-1],"
                + " every: daily 02:00-03:00 UTC}]",
            "maintenance[0].title: must not contain control characters",
            "maintenance[0].description: must not contain control characters other than newlines"),
        bad(
            "maintenance: [{id: w, title: '', targets: [web-9, web-1, web-1], groups: [db],"
                + " every: daily 02:00-03:00 UTC}]",
            "maintenance[0].title: must not be empty",
            "maintenance[0].targets[0]: unknown target \"web-9\"",
            "maintenance[0].targets[2]: duplicate target \"web-1\"",
            "maintenance[0].groups[0]: unknown group \"db\""),
        bad(
            "maintenance: [{id: w, title: T, targets: [], groups: [], every: daily 02:00-03:00"
                + " UTC}]",
            "maintenance[0]: needs targets or groups (at least one non-empty list)"),
        bad(
            "maintenance: [{id: a, "
                + ok
                + "}, {id: b, "
                + ok
                + "},"
                + " {id: c, title: T, groups: [web], every: every tusday 02:00-04:00 UTC}]",
            "maintenance[2].every: unknown weekday 'tusday'"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], every: daily 02:00-04:00 Europe/Londn,"
                + " from: 2025-13-01, until: 20250101}]",
            "maintenance[0].every: unknown time zone 'Europe/Londn'",
            "maintenance[0].from: must be a date YYYY-MM-DD",
            "maintenance[0].until: must be a string"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], every: daily 02:00-02:00 UTC,"
                + " from: 2025-06-02, until: 2025-06-01}]",
            "maintenance[0].every: a window lasting 0 minutes (02:00 to 02:00)",
            "maintenance[0].until: must not be before from (2025-06-02)"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], every: daily 02:00-25:00 UTC}]",
            "maintenance[0].every: end time 25:00 is not HH:MM"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], every: 42}]",
            "maintenance[0].every: must be a string"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], every: daily 02:00-03:00 UTC,"
                + " start: '2025-06-01T00:00:00Z', end: '2025-06-01T01:00:00Z'}]",
            "maintenance[0].every: use either start and end (one-off) or every (recurring), not"
                + " both"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], start: '2025-06-01T00:00:00Z',"
                + " from: 2025-06-01}]",
            "maintenance[0].end: required",
            "maintenance[0].from: only with every (a recurring window)"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], start: '2025-06-01 22:00',"
                + " end: '2025-06-01T23:00:00'}]",
            "maintenance[0].start: must be an ISO-8601 date-time with offset, e.g."
                + " 2030-03-01T02:00:00Z",
            "maintenance[0].end: must be an ISO-8601 date-time with offset, e.g."
                + " 2030-03-01T02:00:00Z"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], start: '2025-06-01T02:00:00+02:00',"
                + " end: '2025-06-01T00:00:00Z'}]",
            "maintenance[0].end: must be after start"),
        bad(
            "maintenance: [{id: w, title: T, groups: [web], start: '2025-06-01T00:00:00Z',"
                + " end: '2025-06-08T00:00:01Z'}]",
            "maintenance[0].end: must be at most 7 days after start"),
        bad(
            "maintenance: [{id: w, " + ok + ", failover: pause, announce: 1}]",
            "maintenance[0].failover: must be one of [act, freeze]",
            "maintenance[0].announce: must be a boolean"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("badWindows")
  void refuses(String yaml, List<String> expected) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.parseShared(HEAD + yaml, "x.yaml"));
    assertEquals(expected, e.errors().stream().map(ConfigError::toString).toList());
  }

  @Test
  void theExampleConfigHasARecurringWindow() throws Exception {
    ConfigLoader example = new ConfigLoader(ExampleEnv.with(Map.of())::get);
    List<MaintenanceWindow> ws =
        example.load(Path.of("conf/quorate.yaml"), null).shared().maintenance();
    assertEquals(List.of("backup-storage"), ws.stream().map(MaintenanceWindow::id).toList());
    assertEquals(Set.of(DayOfWeek.SUNDAY), ws.get(0).recurrence().days());
    assertEquals(List.of("backup-nightly"), ws.get(0).targets());
  }

  @Test
  void aWeekLongWindowIsAllowed() throws Exception {
    String yaml =
        HEAD
            + "maintenance: [{id: w, title: T, groups: [web], start: '2025-06-01T00:00:00Z',"
            + " end: '2025-06-08T00:00:00Z'}]";
    assertEquals(1, loader.parseShared(yaml, "x.yaml").maintenance().size());
  }

  private static Arguments bad(String yaml, String... errors) {
    return Arguments.of(yaml, List.of(errors));
  }

  private static String line(Occurrence o) {
    return o.window().id()
        + " "
        + o.start()
        + " "
        + o.end()
        + " "
        + o.targets().stream().sorted().toList();
  }
}
