package io.quorate.store;

import static io.quorate.quorum.Status.DEGRADED;
import static io.quorate.quorum.Status.DOWN;
import static io.quorate.quorum.Status.UNKNOWN;
import static io.quorate.quorum.Status.UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.quorum.Status;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SLA arithmetic as a table of timelines, windows and exact expected figures. */
class SlaTest {
  static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");
  static final long MIN = 60_000;
  static final long MONTH_MS = 30L * 24 * 60 * MIN;
  static final Instant LATER = Instant.parse("2027-06-01T00:00:00Z");

  static Instant at(String s) {
    return Instant.parse(s);
  }

  static Timeline.Change ch(String at, Status s) {
    return new Timeline.Change(at(at), s);
  }

  static Timeline tl(Status initial, Timeline.Change... changes) {
    return new Timeline(initial, null, List.of(changes));
  }

  static Sla.Report nov(Timeline t, Sla.Terms terms) {
    return Sla.compute(t, NOV, DEC, LATER, terms);
  }

  @Test
  void monthIsUtcAndNovemberHas30Days() {
    Instant[] w = Sla.month(YearMonth.parse("2026-11"));
    assertEquals(NOV, w[0]);
    assertEquals(DEC, w[1]);
    assertEquals(at("2027-03-01T00:00:00Z"), Sla.month(YearMonth.parse("2027-02"))[1]);
  }

  @Test
  void alwaysUpIs100PercentWithNoIncidents() {
    Sla.Report r = nov(tl(UP), new Sla.Terms(99.9));
    assertEquals(MONTH_MS, r.upMs());
    assertEquals(0, r.downMs());
    assertEquals(100.0, r.uptimePercent());
    assertEquals(0, r.incidentCount());
    assertTrue(r.met());
    assertEquals(0.0, r.creditPercent());
  }

  @Test
  void noDataIsAllUnknownAndNoUptime() {
    Sla.Report r = nov(Timeline.EMPTY, new Sla.Terms(99.9));
    assertEquals(MONTH_MS, r.unknownMs());
    assertNull(r.uptimePercent());
    assertNull(r.met());
    assertNull(r.creditPercent());
    assertEquals(List.of(), r.incidents());
  }

  @Test
  void oneHourDownMissesThreeNinesAndCreditsTheDowntimePercentage() {
    Timeline t = tl(UP, ch("2026-11-10T02:00:00Z", DOWN), ch("2026-11-10T03:00:00Z", UP));
    Sla.Report r = nov(t, new Sla.Terms(99.9));
    assertEquals(60 * MIN, r.downMs());
    assertEquals(100.0 * (MONTH_MS - 60 * MIN) / MONTH_MS, r.uptimePercent(), 1e-12);
    assertFalse(r.met());
    assertEquals(100.0 / 720, r.creditPercent(), 1e-12, "1 h of 720 h");
    assertEquals(
        List.of(
            new Sla.Incident(
                at("2026-11-10T02:00:00Z"), at("2026-11-10T03:00:00Z"), 60 * MIN, false, false)),
        r.incidents());
  }

  @Test
  void exactlyTheAllowedDowntimeMeetsTheObjective() {
    // 0.1 % of 30 days = 43.2 minutes: floating point would round 99.9 % to just below
    Timeline t = tl(UP, ch("2026-11-10T02:00:00Z", DOWN), ch("2026-11-10T02:43:12Z", UP));
    Sla.Report r = nov(t, new Sla.Terms(99.9));
    assertEquals(43.2 * MIN, r.downMs(), 0.0);
    assertTrue(r.met());
    assertEquals(0.0, r.creditPercent());
    Sla.Report worse =
        nov(
            tl(UP, ch("2026-11-10T02:00:00Z", DOWN), ch("2026-11-10T02:43:12.001Z", UP)),
            new Sla.Terms(99.9));
    assertFalse(worse.met());
  }

  @Test
  void incidentSpanningBothMonthBoundariesIsClipped() {
    Timeline t =
        new Timeline(
            DOWN,
            at("2026-10-31T22:00:00Z"),
            List.of(
                ch("2026-11-01T01:00:00Z", UP),
                ch("2026-11-30T23:00:00Z", DOWN),
                ch("2026-12-01T05:00:00Z", UP)));
    Sla.Report r = nov(t, null);
    assertEquals(2 * 60 * MIN, r.downMs());
    assertEquals(
        List.of(
            new Sla.Incident(NOV, at("2026-11-01T01:00:00Z"), 60 * MIN, true, false),
            new Sla.Incident(at("2026-11-30T23:00:00Z"), DEC, 60 * MIN, false, true)),
        r.incidents());
    assertNull(r.met());
  }

  @Test
  void openIncidentIsClippedAtNowAndFutureTimeIsNotCounted() {
    Instant now = at("2026-11-15T12:00:00Z");
    Timeline t = tl(UP, ch("2026-11-15T11:30:00Z", DOWN));
    Sla.Report r = Sla.compute(t, NOV, DEC, now, null);
    assertEquals(now, r.evaluatedUntil());
    assertEquals(30 * MIN, r.downMs());
    assertEquals(
        Instant.parse("2026-11-15T11:30:00Z").toEpochMilli() - NOV.toEpochMilli(), r.upMs());
    assertEquals(0, r.unknownMs());
    assertEquals(
        List.of(new Sla.Incident(at("2026-11-15T11:30:00Z"), now, 30 * MIN, false, true)),
        r.incidents());
  }

  @Test
  void aWindowInTheFutureCountsNothing() {
    Sla.Report r = Sla.compute(tl(UP), NOV, DEC, at("2026-10-01T00:00:00Z"), null);
    assertEquals(NOV, r.evaluatedUntil());
    assertEquals(0, r.upMs() + r.downMs() + r.unknownMs() + r.degradedMs());
    assertNull(r.uptimePercent());
  }

  @Test
  void unknownTimeIsExcludedFromTheDenominator() {
    // 10 days unknown (first data on the 11th), then 1 day down out of the remaining 20
    Timeline t =
        tl(
            UNKNOWN,
            ch("2026-11-11T00:00:00Z", UP),
            ch("2026-11-20T00:00:00Z", DOWN),
            ch("2026-11-21T00:00:00Z", UP));
    Sla.Report r = nov(t, new Sla.Terms(99.0));
    assertEquals(10 * 24 * 60 * MIN, r.unknownMs());
    assertEquals(24 * 60 * MIN, r.downMs());
    assertEquals(95.0, r.uptimePercent(), 1e-12);
    assertEquals(5.0, r.creditPercent(), 1e-12);
  }

  @Test
  void degradedCountsAsUpButIsReported() {
    Timeline t = tl(UP, ch("2026-11-05T00:00:00Z", DEGRADED), ch("2026-11-05T06:00:00Z", UP));
    Sla.Report r = nov(t, new Sla.Terms(99.9));
    assertEquals(6 * 60 * MIN, r.degradedMs());
    assertEquals(100.0, r.uptimePercent());
    assertEquals(0, r.incidentCount());
    assertTrue(r.met());
  }

  @Test
  void downThenUnknownThenDownAreTwoIncidentsAndUnknownIsNotDowntime() {
    Timeline t =
        tl(
            UP,
            ch("2026-11-02T00:00:00Z", DOWN),
            ch("2026-11-02T00:10:00Z", UNKNOWN),
            ch("2026-11-02T00:30:00Z", DOWN),
            ch("2026-11-02T00:40:00Z", DOWN),
            ch("2026-11-02T00:50:00Z", DEGRADED));
    Sla.Report r = nov(t, null);
    assertEquals(30 * MIN, r.downMs());
    assertEquals(20 * MIN, r.unknownMs());
    assertEquals(2, r.incidentCount());
    assertEquals(20 * MIN, r.incidents().get(1).downMs(), "a repeated DOWN extends the incident");
  }

  @Test
  void changesAtTheWindowEdgesBelongToTheRightSide() {
    // a change exactly at `from` is in force; one exactly at `to` is not counted
    Timeline t =
        new Timeline(
            UP,
            null,
            List.of(
                ch("2026-11-01T00:00:00Z", DOWN),
                ch("2026-11-01T00:05:00Z", UP),
                ch("2026-12-01T00:00:00Z", DOWN)));
    Sla.Report r = nov(t, null);
    assertEquals(5 * MIN, r.downMs());
    assertEquals(1, r.incidentCount());
    assertFalse(r.incidents().get(0).open());
    assertFalse(r.incidents().get(0).startedBefore(), "it began at the window start, not before");
  }

  @Test
  void incidentListIsBoundedButTheCountIsExact() {
    List<Timeline.Change> flaps = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      flaps.add(new Timeline.Change(NOV.plusSeconds(600L * i), DOWN));
      flaps.add(new Timeline.Change(NOV.plusSeconds(600L * i + 60), UP));
    }
    Sla.Report r = nov(new Timeline(UP, null, flaps), null);
    assertEquals(1_500, r.incidentCount());
    assertEquals(Sla.MAX_INCIDENTS, r.incidents().size());
    assertEquals(1_500 * MIN, r.downMs());
  }

  @Test
  void groupIsDownOnlyWhileEveryMemberIsDown() {
    Timeline a = tl(UP, ch("2026-11-03T00:00:00Z", DOWN), ch("2026-11-03T02:00:00Z", UP));
    Timeline b = tl(UP, ch("2026-11-03T01:00:00Z", DOWN), ch("2026-11-03T03:00:00Z", UP));
    Timeline g = Timeline.group(List.of(a, b));
    Sla.Report r = nov(g, null);
    assertEquals(60 * MIN, r.downMs(), "both down 01:00–02:00 only");
    assertEquals(
        List.of(
            new Sla.Incident(
                at("2026-11-03T01:00:00Z"), at("2026-11-03T02:00:00Z"), 60 * MIN, false, false)),
        r.incidents());
  }

  @Test
  void groupStatesCombineUpOverDegradedOverDownAndUnknown() {
    assertEquals(UP, Timeline.combine(List.of(DOWN, UP, UNKNOWN)));
    assertEquals(DEGRADED, Timeline.combine(List.of(DOWN, DEGRADED)));
    assertEquals(DOWN, Timeline.combine(List.of(DOWN, DOWN)));
    assertEquals(UNKNOWN, Timeline.combine(List.of(DOWN, UNKNOWN)));
    assertEquals(UNKNOWN, Timeline.combine(List.of()));
    Timeline g = Timeline.group(List.of(tl(DOWN), tl(UNKNOWN, ch("2026-11-04T00:00:00Z", DOWN))));
    assertEquals(UNKNOWN, g.initial());
    assertEquals(List.of(ch("2026-11-04T00:00:00Z", DOWN)), g.changes());
    assertEquals(Timeline.EMPTY, Timeline.group(List.of()));
  }

  @Test
  void simultaneousMemberChangesMakeOneGroupChange() {
    Timeline a = tl(UP, ch("2026-11-03T00:00:00Z", DOWN));
    Timeline b = tl(DOWN, ch("2026-11-03T00:00:00Z", UP));
    assertEquals(List.of(), Timeline.group(List.of(a, b)).changes(), "UP throughout");
  }

  @Test
  void badWindowsAndTermsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Sla.compute(tl(UP), DEC, NOV, LATER, null));
    assertThrows(IllegalArgumentException.class, () -> Sla.compute(tl(UP), NOV, NOV, LATER, null));
    assertThrows(IllegalArgumentException.class, () -> new Sla.Terms(0));
    assertThrows(IllegalArgumentException.class, () -> new Sla.Terms(100.5));
    assertThrows(IllegalArgumentException.class, () -> new Sla.Terms(Double.NaN));
  }
}
