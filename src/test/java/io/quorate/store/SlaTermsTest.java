package io.quorate.store;

import static io.quorate.quorum.Status.DEGRADED;
import static io.quorate.quorum.Status.DOWN;
import static io.quorate.quorum.Status.MAINTENANCE;
import static io.quorate.quorum.Status.UNKNOWN;
import static io.quorate.quorum.Status.UP;
import static io.quorate.store.SlaTest.MIN;
import static io.quorate.store.SlaTest.MONTH_MS;
import static io.quorate.store.SlaTest.at;
import static io.quorate.store.SlaTest.ch;
import static io.quorate.store.SlaTest.nov;
import static io.quorate.store.SlaTest.tl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Maintenance time in the SLA, and contract credit rules (tiers, caps) as exact tables. */
class SlaTermsTest {
  static final Sla.Tiers TIERS =
      new Sla.Tiers(
          List.of(new Sla.Tier(99.9, 10), new Sla.Tier(99.0, 25), new Sla.Tier(95.0, 100)));

  @Test
  void maintenanceIsLeftOutOfTheDenominatorAndNeverDowntime() {
    // 10 h maintenance, then 1 h down: uptime is judged on the 710 h outside maintenance
    Timeline t =
        tl(
            UP,
            ch("2026-11-05T00:00:00Z", MAINTENANCE),
            ch("2026-11-05T10:00:00Z", UP),
            ch("2026-11-06T00:00:00Z", DOWN),
            ch("2026-11-06T01:00:00Z", UP));
    Sla.Report r = nov(t, new Sla.Terms(99.0));
    assertEquals(10 * 60 * MIN, r.maintenanceMs());
    assertEquals(60 * MIN, r.downMs());
    assertEquals(0, r.unknownMs());
    assertEquals(MONTH_MS - 11 * 60 * MIN, r.upMs());
    assertEquals(100.0 * 709 / 710, r.uptimePercent(), 1e-12);
    assertTrue(r.met());
    assertEquals(1, r.incidentCount());
  }

  @Test
  void anIncidentInterruptedByMaintenanceEndsWhenTheWindowStarts() {
    Timeline t =
        tl(
            UP,
            ch("2026-11-06T10:00:00Z", DOWN),
            ch("2026-11-06T10:20:00Z", MAINTENANCE),
            ch("2026-11-06T11:00:00Z", DOWN),
            ch("2026-11-06T11:10:00Z", UP));
    Sla.Report r = nov(t, null);
    assertEquals(30 * MIN, r.downMs());
    assertEquals(40 * MIN, r.maintenanceMs());
    assertEquals(
        List.of(
            new Sla.Incident(
                at("2026-11-06T10:00:00Z"), at("2026-11-06T10:20:00Z"), 20 * MIN, false, false),
            new Sla.Incident(
                at("2026-11-06T11:00:00Z"), at("2026-11-06T11:10:00Z"), 10 * MIN, false, false)),
        r.incidents());
  }

  @Test
  void aMonthAllInMaintenanceHasNoUptimeAndNoCredit() {
    Sla.Report r = nov(tl(MAINTENANCE), new Sla.Terms(99.9));
    assertEquals(MONTH_MS, r.maintenanceMs());
    assertNull(r.uptimePercent());
    assertNull(r.met());
    assertNull(r.creditPercent());
  }

  @Test
  void groupMembersInMaintenanceAreNeverDown() {
    assertEquals(MAINTENANCE, Timeline.combine(List.of(MAINTENANCE, MAINTENANCE)));
    assertEquals(MAINTENANCE, Timeline.combine(List.of(DOWN, MAINTENANCE)));
    assertEquals(UP, Timeline.combine(List.of(MAINTENANCE, UP)));
    assertEquals(DEGRADED, Timeline.combine(List.of(MAINTENANCE, DEGRADED)));
    assertEquals(UNKNOWN, Timeline.combine(List.of(MAINTENANCE, UNKNOWN)));
    assertEquals(DOWN, Timeline.combine(List.of(DOWN, DOWN)));
    // a: down 00:00–02:00; b: maintenance 01:00–03:00: the group is down only 00:00–01:00
    Timeline a = tl(DOWN, ch("2026-11-03T02:00:00Z", UP));
    Timeline b = tl(DOWN, ch("2026-11-03T01:00:00Z", MAINTENANCE), ch("2026-11-03T03:00:00Z", UP));
    Timeline g = Timeline.group(List.of(a, b));
    assertEquals(
        List.of(ch("2026-11-03T01:00:00Z", MAINTENANCE), ch("2026-11-03T02:00:00Z", UP)),
        g.changes());
    Sla.Report r =
        Sla.compute(g, at("2026-11-03T00:00:00Z"), at("2026-11-04T00:00:00Z"), SlaTest.LATER, null);
    assertEquals(60 * MIN, r.downMs());
    assertEquals(60 * MIN, r.maintenanceMs());
  }

  /** Uptime in a 30-day month for {@code downMinutes} of downtime, with the tiered terms. */
  static Sla.Report tiered(double downMinutes, Double cap) {
    Timeline t =
        tl(
            UP,
            ch("2026-11-10T00:00:00Z", DOWN),
            new Timeline.Change(
                at("2026-11-10T00:00:00Z").plusMillis((long) (downMinutes * MIN)), UP));
    return nov(t, new Sla.Terms(99.9, TIERS, cap));
  }

  @Test
  void theLowestTierTheUptimeFallsBelowSetsTheCredit() {
    // 30 days = 43,200 min: 99.9 % allows 43.2 min, 99 % 432 min, 95 % 2,160 min
    record Row(double downMinutes, double credit, Double below) {}
    List<Row> rows =
        List.of(
            new Row(0, 0, null),
            new Row(43.2, 0, null), // exactly 99.9 %: met
            new Row(43.21, 10, 99.9),
            new Row(432, 10, 99.9), // exactly 99.0 %: not below 99.0
            new Row(432.5, 25, 99.0),
            new Row(2_160, 25, 99.0), // exactly 95 %
            new Row(2_161, 100, 95.0),
            new Row(43_200, 100, 95.0));
    for (Row row : rows) {
      Sla.Report r = tiered(row.downMinutes(), null);
      assertEquals(row.credit(), r.creditPercent(), "credit at " + row.downMinutes() + " min");
      assertEquals(row.below(), r.tier() == null ? null : r.tier().belowPercent());
      assertEquals(row.credit() == 0, r.met());
    }
  }

  @Test
  void maxCreditPercentCapsEveryRule() {
    assertEquals(50.0, tiered(3_000, 50.0).creditPercent());
    assertEquals(10.0, tiered(60, 50.0).creditPercent());
    Timeline half = tl(UP, ch("2026-11-16T00:00:00Z", DOWN));
    assertEquals(
        50.0,
        nov(half, new Sla.Terms(99.9, Sla.DowntimePercentage.INSTANCE, null)).creditPercent());
    assertEquals(
        30.0,
        nov(half, new Sla.Terms(99.9, Sla.DowntimePercentage.INSTANCE, 30.0)).creditPercent());
  }

  @Test
  void anObjectiveOverrideKeepsTheCreditRule() {
    Sla.Terms t = new Sla.Terms(99.9, TIERS, 40.0).withObjective(99.0);
    assertEquals(new Sla.Terms(99.0, TIERS, 40.0), t);
    Sla.Report r = nov(tl(UP, ch("2026-11-10T00:00:00Z", DOWN), ch("2026-11-10T01:00:00Z", UP)), t);
    assertTrue(r.met(), "1 h down is 99.86 %, above 99.0");
    assertEquals(0.0, r.creditPercent());
  }

  @Test
  void badTermsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sla.Tiers(List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Sla.Tiers(List.of(new Sla.Tier(99.0, 10), new Sla.Tier(99.0, 20))));
    assertThrows(IllegalArgumentException.class, () -> new Sla.Tier(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new Sla.Tier(99, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Sla.Terms(99.9, Sla.DowntimePercentage.INSTANCE, 0.0));
    assertFalse(TIERS.tiers().isEmpty());
  }
}
