package io.quorate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorate.quorum.Status;
import io.quorate.store.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 90 daily uptime values: Sla semantics per UTC day, maintenance overlaid and not charged. */
class StatusBarsTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final LocalDate FIRST = LocalDate.parse("2026-09-02");

  static Instant at(LocalDate d, String time) {
    return Instant.parse(d + "T" + time + "Z");
  }

  static Timeline.Change change(Instant at, Status s) {
    return new Timeline.Change(at, s);
  }

  @Test
  void ninetyUtcDaysEndingToday() {
    StatusBars.Bars b = StatusBars.bars(Timeline.EMPTY, NOW);
    assertEquals(90, b.days().size());
    assertEquals(FIRST, StatusBars.firstDay(NOW));
    assertEquals(FIRST, b.days().get(0).date());
    assertEquals(LocalDate.parse("2026-11-30"), b.days().get(89).date());
    assertNull(b.periodPercent());
    b.days().forEach(d -> assertNull(d.uptimePercent(), d.date() + " has no data"));
  }

  @Test
  void eachDayIsItsOwnSlaReport() {
    LocalDate d5 = FIRST.plusDays(5);
    LocalDate d7 = FIRST.plusDays(7);
    Timeline t =
        new Timeline(
            Status.UNKNOWN,
            null,
            List.of(
                change(at(FIRST.plusDays(2), "00:00:00"), Status.UP),
                // 72 min down: 95 % of the day
                change(at(d5, "12:00:00"), Status.DOWN),
                change(at(d5, "13:12:00"), Status.UP),
                // one second down stays below 100 %
                change(at(d7, "08:00:00"), Status.DOWN),
                change(at(d7, "08:00:01"), Status.UP),
                // DEGRADED counts as up
                change(at(FIRST.plusDays(8), "00:00:00"), Status.DEGRADED),
                change(at(FIRST.plusDays(9), "00:00:00"), Status.UP)));
    StatusBars.Bars b = StatusBars.bars(t, NOW);
    assertNull(b.days().get(0).uptimePercent());
    assertNull(b.days().get(1).uptimePercent());
    assertEquals(100.0, b.days().get(2).uptimePercent());
    assertEquals(95.0, b.days().get(5).uptimePercent());
    assertEquals(Duration.ofMinutes(72).toMillis(), b.days().get(5).downMs());
    assertEquals(99.99, b.days().get(7).uptimePercent());
    assertEquals(1000, b.days().get(7).downMs());
    assertEquals(100.0, b.days().get(8).uptimePercent());
    // today counts only up to now
    assertEquals(100.0, b.days().get(89).uptimePercent());
    long known = Duration.ofDays(87).plusHours(12).toMillis();
    long down = Duration.ofMinutes(72).toMillis() + 1000;
    assertEquals(Math.round(100.0 * (known - down) / known * 100) / 100.0, b.periodPercent());
  }

  @Test
  void maintenanceIsOverlaidAndNotCharged() {
    LocalDate d = FIRST.plusDays(10);
    Timeline t =
        new Timeline(
            Status.UP,
            null,
            List.of(change(at(d, "01:00:00"), Status.DOWN), change(at(d, "05:00:00"), Status.UP)));
    // two overlapping windows 02:00-03:30 and 03:00-04:00 cover 2 h of the 4 h outage
    Timeline o =
        StatusBars.overlay(
            t,
            List.of(
                new StatusBars.Window(at(d, "02:00:00"), at(d, "03:30:00")),
                new StatusBars.Window(at(d, "03:00:00"), at(d, "04:00:00"))));
    assertEquals(
        List.of(
            change(at(d, "01:00:00"), Status.DOWN),
            change(at(d, "02:00:00"), Status.MAINTENANCE),
            change(at(d, "04:00:00"), Status.DOWN),
            change(at(d, "05:00:00"), Status.UP)),
        o.changes());
    StatusBars.Day day = StatusBars.bars(o, NOW).days().get(10);
    assertEquals(Duration.ofHours(2).toMillis(), day.downMs());
    assertEquals(Duration.ofHours(2).toMillis(), day.maintenanceMs());
    // 2 h down of the 22 h not in maintenance
    assertEquals(90.91, day.uptimePercent());
    assertEquals(t, StatusBars.overlay(t, List.of()));
  }

  @Test
  void aGroupIsDownOnlyWhileEveryMemberIsDown() {
    LocalDate d = FIRST.plusDays(20);
    Timeline a =
        new Timeline(
            Status.UP,
            null,
            List.of(change(at(d, "00:00:00"), Status.DOWN), change(at(d, "12:00:00"), Status.UP)));
    Timeline b =
        new Timeline(
            Status.UP,
            null,
            List.of(change(at(d, "06:00:00"), Status.DOWN), change(at(d, "08:24:00"), Status.UP)));
    StatusBars.Bars ba = StatusBars.bars(a, NOW);
    StatusBars.Bars bb = StatusBars.bars(b, NOW);
    StatusBars.Bars g = StatusBars.group(Timeline.group(List.of(a, b)), List.of(ba, bb), NOW);
    assertEquals(50.0, ba.days().get(20).uptimePercent());
    assertEquals(90.0, bb.days().get(20).uptimePercent());
    // both down 06:00-08:24: 2.4 h of 24 h
    assertEquals(90.0, g.days().get(20).uptimePercent());
    assertEquals(Duration.ofMinutes(144).toMillis(), g.days().get(20).downMs());
    assertEquals(100.0, g.days().get(19).uptimePercent());
  }
}
