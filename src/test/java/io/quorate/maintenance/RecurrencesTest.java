package io.quorate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorate.config.MaintenanceWindow.Frequency;
import io.quorate.config.MaintenanceWindow.Recurrence;
import io.quorate.maintenance.Recurrences.Interval;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expansion of recurrence rules into exact instants (DST days in three zones, nth and last
 * weekdays, cross-midnight, validity dates, the range bound) and the rule parser. Expected instants
 * were checked against {@code zdump} and GNU {@code date}, not computed with java.time.
 */
class RecurrencesTest {

  static Stream<Arguments> expansions() {
    return Stream.of(
        Arguments.of(
            "second Tuesday in London over 2025: 02:00Z in GMT months, 01:00Z in BST months",
            "second tuesday 02:00-04:00 Europe/London",
            "2025-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            List.of(
                "2025-01-14T02:00:00Z/2025-01-14T04:00:00Z",
                "2025-02-11T02:00:00Z/2025-02-11T04:00:00Z",
                "2025-03-11T02:00:00Z/2025-03-11T04:00:00Z",
                "2025-04-08T01:00:00Z/2025-04-08T03:00:00Z",
                "2025-05-13T01:00:00Z/2025-05-13T03:00:00Z",
                "2025-06-10T01:00:00Z/2025-06-10T03:00:00Z",
                "2025-07-08T01:00:00Z/2025-07-08T03:00:00Z",
                "2025-08-12T01:00:00Z/2025-08-12T03:00:00Z",
                "2025-09-09T01:00:00Z/2025-09-09T03:00:00Z",
                "2025-10-14T01:00:00Z/2025-10-14T03:00:00Z",
                "2025-11-11T02:00:00Z/2025-11-11T04:00:00Z",
                "2025-12-09T02:00:00Z/2025-12-09T04:00:00Z")),
        Arguments.of(
            "last Sunday 01:00-03:00 London: 1 h on the spring-forward day, 3 h on the autumn day",
            "last sunday 01:00-03:00 Europe/London",
            "2025-03-01T00:00:00Z",
            "2025-11-01T00:00:00Z",
            List.of(
                "2025-03-30T01:00:00Z/2025-03-30T02:00:00Z",
                "2025-04-27T00:00:00Z/2025-04-27T02:00:00Z",
                "2025-05-25T00:00:00Z/2025-05-25T02:00:00Z",
                "2025-06-29T00:00:00Z/2025-06-29T02:00:00Z",
                "2025-07-27T00:00:00Z/2025-07-27T02:00:00Z",
                "2025-08-31T00:00:00Z/2025-08-31T02:00:00Z",
                "2025-09-28T00:00:00Z/2025-09-28T02:00:00Z",
                "2025-10-26T00:00:00Z/2025-10-26T03:00:00Z")),
        Arguments.of(
            "last Friday: Jan 2025 has five Fridays (31st), Feb four (28th); crosses midnight",
            "last fri 23:00-01:00 UTC",
            "2025-01-01T00:00:00Z",
            "2025-03-01T00:00:00Z",
            List.of(
                "2025-01-31T23:00:00Z/2025-02-01T01:00:00Z",
                "2025-02-28T23:00:00Z/2025-03-01T01:00:00Z")),
        Arguments.of(
            "fourth Friday is not the last one in a month with five",
            "monthly fourth friday 23:00-01:00 UTC",
            "2025-01-01T00:00:00Z",
            "2025-03-01T00:00:00Z",
            List.of(
                "2025-01-24T23:00:00Z/2025-01-25T01:00:00Z",
                "2025-02-28T23:00:00Z/2025-03-01T01:00:00Z")),
        Arguments.of(
            "weekly Monday and Wednesday",
            "weekly mon,wed 22:00-23:30 UTC",
            "2025-06-01T00:00:00Z",
            "2025-06-15T00:00:00Z",
            List.of(
                "2025-06-02T22:00:00Z/2025-06-02T23:30:00Z",
                "2025-06-04T22:00:00Z/2025-06-04T23:30:00Z",
                "2025-06-09T22:00:00Z/2025-06-09T23:30:00Z",
                "2025-06-11T22:00:00Z/2025-06-11T23:30:00Z")),
        Arguments.of(
            "an occurrence that started before 'from' and still lasts is included",
            "daily 22:00-02:00 UTC",
            "2025-06-02T01:00:00Z",
            "2025-06-02T23:00:00Z",
            List.of(
                "2025-06-01T22:00:00Z/2025-06-02T02:00:00Z",
                "2025-06-02T22:00:00Z/2025-06-03T02:00:00Z")),
        Arguments.of(
            "half-open: one ending at 'from' and one starting at 'to' are not included",
            "daily 02:00-04:00 UTC",
            "2025-06-02T04:00:00Z",
            "2025-06-03T02:00:00Z",
            List.of()),
        Arguments.of(
            "New York: 02:30-03:15 does not happen on the spring-forward day (start in the gap"
                + " moves to 03:30 EDT, after the end)",
            "daily 02:30-03:15 America/New_York",
            "2025-03-08T00:00:00Z",
            "2025-03-11T00:00:00Z",
            List.of(
                "2025-03-08T07:30:00Z/2025-03-08T08:15:00Z",
                "2025-03-10T06:30:00Z/2025-03-10T07:15:00Z")),
        Arguments.of(
            "New York autumn: start in the overlap takes the earlier offset (EDT): 2 h",
            "every day 01:30-02:30 America/New_York",
            "2025-11-02T00:00:00Z",
            "2025-11-03T00:00:00Z",
            List.of("2025-11-02T05:30:00Z/2025-11-02T07:30:00Z")),
        Arguments.of(
            "Lord Howe (30-min shift) autumn overlap: 01:45-02:15 lasts 60 min",
            "daily 01:45-02:15 Australia/Lord_Howe",
            "2025-04-05T12:00:00Z",
            "2025-04-05T18:00:00Z",
            List.of("2025-04-05T14:45:00Z/2025-04-05T15:45:00Z")),
        Arguments.of(
            "Lord Howe spring gap: an end at 02:15 (in the gap) moves by 30 min to 02:45 +11",
            "daily 01:45-02:15 Australia/Lord_Howe",
            "2025-10-04T12:00:00Z",
            "2025-10-04T18:00:00Z",
            List.of("2025-10-04T15:15:00Z/2025-10-04T15:45:00Z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expansions")
  void expands(String name, String rule, String from, String to, List<String> expected) {
    List<Interval> got =
        Recurrences.between(Recurrences.parse(rule), Instant.parse(from), Instant.parse(to));
    assertEquals(expected, got.stream().map(i -> i.start() + "/" + i.end()).toList());
  }

  @Test
  void validFromAndUntilBoundTheStartDate() {
    Recurrence r =
        withValidity(Recurrences.parse("daily 23:00-01:00 UTC"), "2025-06-03", "2025-06-05");
    List<Interval> got =
        Recurrences.between(
            r, Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-06-10T00:00:00Z"));
    // the occurrence starting on 'until' still runs into the next day
    assertEquals(
        List.of(
            "2025-06-03T23:00:00Z/2025-06-04T01:00:00Z",
            "2025-06-04T23:00:00Z/2025-06-05T01:00:00Z",
            "2025-06-05T23:00:00Z/2025-06-06T01:00:00Z"),
        got.stream().map(i -> i.start() + "/" + i.end()).toList());
  }

  @Test
  void validityDatesAreLocalDatesInTheRulesZone() {
    // 00:30 in Auckland (+12 in June) on 2025-06-03 is 2025-06-02T12:30Z
    Recurrence r =
        withValidity(Recurrences.parse("daily 00:30-01:00 Pacific/Auckland"), "2025-06-03", null);
    List<Interval> got =
        Recurrences.between(
            r, Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-06-03T00:00:00Z"));
    assertEquals(
        List.of(
            new Interval(
                Instant.parse("2025-06-02T12:30:00Z"), Instant.parse("2025-06-02T13:00:00Z"))),
        got);
  }

  @Test
  void aFullDayEndsAt2400() {
    Recurrence r = Recurrences.parse("every sat 00:00-24:00 UTC");
    assertEquals(LocalTime.MIDNIGHT, r.to());
    assertEquals(
        new Interval(Instant.parse("2025-06-07T00:00:00Z"), Instant.parse("2025-06-08T00:00:00Z")),
        Recurrences.on(r, LocalDate.parse("2025-06-07")));
    assertNull(Recurrences.on(r, LocalDate.parse("2025-06-08")));
  }

  @Test
  void rangesAreBounded() {
    Recurrence r = Recurrences.parse("daily 02:00-03:00 UTC");
    Instant from = Instant.parse("2025-01-01T00:00:00Z");
    assertEquals(400, Recurrences.between(r, from, from.plus(Duration.ofDays(400))).size());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Recurrences.between(r, from, from.plus(Duration.ofDays(401))));
    assertEquals("range of 401 days; at most 400 are expanded", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Recurrences.between(r, from, from.minusSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Recurrences.between(r, Instant.MIN, Instant.MIN.plusSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Recurrences.between(r, Instant.MAX.minusSeconds(1), Instant.MAX));
    assertEquals(List.of(), Recurrences.between(r, from, from));
  }

  @Test
  void inconsistentRulesAreRefused() {
    Recurrence weeklyNoDays = rule(Frequency.WEEKLY, Set.of(), 0, null);
    Recurrence monthlyFifth = rule(Frequency.MONTHLY, Set.of(), 5, DayOfWeek.MONDAY);
    Recurrence monthlyNoDay = rule(Frequency.MONTHLY, Set.of(), 1, null);
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    for (Recurrence r : List.of(weeklyNoDays, monthlyFifth, monthlyNoDay)) {
      assertThrows(
          IllegalArgumentException.class, () -> Recurrences.between(r, t, t.plusSeconds(1)));
    }
  }

  static Stream<Arguments> parsed() {
    return Stream.of(
        Arguments.of(
            "daily 02:00-04:00 Europe/London", "DAILY [] 0 null 02:00 04:00 Europe/London"),
        Arguments.of(
            "DAILY 2:00 – 4:00 europe/london", "DAILY [] 0 null 02:00 04:00 Europe/London"),
        Arguments.of(
            "weekly mon,wed 22:00-23:30 UTC", "WEEKLY [MONDAY, WEDNESDAY] 0 null 22:00 23:30 UTC"),
        Arguments.of(
            "every Tuesday 02:00–04:00 Europe/London",
            "WEEKLY [TUESDAY] 0 null 02:00 04:00 Europe/London"),
        Arguments.of(
            "every mon, thu 02:00 - 04:00 utc", "WEEKLY [MONDAY, THURSDAY] 0 null 02:00 04:00 UTC"),
        Arguments.of("every day 23:00-01:00 +02:00", "DAILY [] 0 null 23:00 01:00 +02:00"),
        Arguments.of(
            "first monday 02:00-04:00 Asia/Tokyo", "MONTHLY [] 1 MONDAY 02:00 04:00 Asia/Tokyo"),
        Arguments.of(
            "Second Tuesday 02:00-04:00 Europe/London",
            "MONTHLY [] 2 TUESDAY 02:00 04:00 Europe/London"),
        Arguments.of("monthly third tues 02:00-04:00 UTC", "MONTHLY [] 3 TUESDAY 02:00 04:00 UTC"),
        Arguments.of("fourth sunday 02:00-04:00 UTC", "MONTHLY [] 4 SUNDAY 02:00 04:00 UTC"),
        Arguments.of(
            "last fri 23:00-01:00 America/New_York",
            "MONTHLY [] -1 FRIDAY 23:00 01:00 America/New_York"),
        Arguments.of("daily 22:00-02:00 -05:00", "DAILY [] 0 null 22:00 02:00 -05:00"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parsed")
  void parses(String text, String expected) {
    Recurrence r = Recurrences.parse(text);
    String got =
        String.join(
            " ",
            r.frequency().name(),
            r.days().stream().sorted().toList().toString(),
            Integer.toString(r.nth()),
            String.valueOf(r.weekday()),
            r.from().toString(),
            r.to().toString(),
            r.zone().getId());
    assertEquals(expected, got);
    assertNull(r.validFrom());
    assertNull(r.until());
  }

  static Stream<Arguments> parseErrors() {
    return Stream.of(
        Arguments.of("", "empty rule; e.g. 'second tuesday 02:00-04:00 Europe/London'"),
        Arguments.of("x".repeat(201), "rule is longer than 200 characters"),
        Arguments.of(
            "fortnightly 02:00-04:00 UTC",
            "unknown frequency 'fortnightly'; start with daily, weekly, every, monthly or"
                + " first|second|third|fourth|last"),
        Arguments.of("every tusday 02:00-04:00 Europe/London", "unknown weekday 'tusday'"),
        Arguments.of("weekly mon,tu 02:00-04:00 UTC", "unknown weekday 'tu'"),
        Arguments.of("weekly mon,Monday 02:00-04:00 UTC", "weekday 'Monday' is listed twice"),
        Arguments.of(
            "weekly 02:00-04:00 UTC", "missing weekdays after 'weekly', e.g. 'weekly mon,thu'"),
        Arguments.of(
            "monthly fifth tuesday 02:00-04:00 UTC",
            "unknown ordinal 'fifth'; use first, second, third, fourth or last"),
        Arguments.of(
            "second mon,tue 02:00-04:00 UTC", "a monthly rule takes one weekday, not 'mon,tue'"),
        Arguments.of("daily 02:00-04:00 Europe/Londn", "unknown time zone 'Europe/Londn'"),
        Arguments.of("daily 02:00-25:00 UTC", "end time 25:00 is not HH:MM"),
        Arguments.of("daily 2h-04:00 UTC", "start time 2h is not HH:MM"),
        Arguments.of("daily 24:00-01:00 UTC", "start time 24:00 is not HH:MM"),
        Arguments.of("daily 02:00-02:00 UTC", "a window lasting 0 minutes (02:00 to 02:00)"),
        Arguments.of("daily 02:00 UTC", "expected a time range HH:MM-HH:MM, found '02:00'"),
        Arguments.of(
            "daily 02:00-04:00",
            "missing a time zone after the times; e.g. 'second tuesday 02:00-04:00 Europe/London'"),
        Arguments.of(
            "daily",
            "missing a time range HH:MM-HH:MM; e.g. 'second tuesday 02:00-04:00 Europe/London'"),
        Arguments.of("daily 02:00-04:00 UTC please", "unexpected 'please' after the time zone"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("parseErrors")
  void refuses(String text, String message) {
    InvalidRecurrenceException e =
        assertThrows(InvalidRecurrenceException.class, () -> Recurrences.parse(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void everyDayOfAYearIsExpandedOnceEvenAcrossBothDstChanges() {
    Recurrence r = Recurrences.parse("daily 01:00-03:00 Europe/London");
    List<Interval> got =
        Recurrences.between(
            r, Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
    assertEquals(365, got.size());
    List<Long> minutes = new ArrayList<>();
    got.forEach(i -> minutes.add(Duration.between(i.start(), i.end()).toMinutes()));
    assertEquals(363, minutes.stream().filter(m -> m == 120).count());
    assertEquals(1, minutes.stream().filter(m -> m == 60).count());
    assertEquals(1, minutes.stream().filter(m -> m == 180).count());
  }

  private static Recurrence withValidity(Recurrence r, String from, String until) {
    return new Recurrence(
        r.frequency(),
        r.days(),
        r.nth(),
        r.weekday(),
        r.from(),
        r.to(),
        r.zone(),
        from == null ? null : LocalDate.parse(from),
        until == null ? null : LocalDate.parse(until),
        r.text());
  }

  private static Recurrence rule(Frequency f, Set<DayOfWeek> days, int nth, DayOfWeek weekday) {
    return new Recurrence(
        f,
        days,
        nth,
        weekday,
        LocalTime.of(2, 0),
        LocalTime.of(3, 0),
        ZoneId.of("UTC"),
        null,
        null,
        "test");
  }
}
