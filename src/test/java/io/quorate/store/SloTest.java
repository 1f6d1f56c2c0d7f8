package io.quorate.store;

import static io.quorate.quorum.Status.DOWN;
import static io.quorate.quorum.Status.MAINTENANCE;
import static io.quorate.quorum.Status.UNKNOWN;
import static io.quorate.quorum.Status.UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorate.quorum.Status;
import io.quorate.store.Slo.BurnWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Error budgets and burn rates as exact tables over known timelines. */
class SloTest {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final long MIN = 60_000;
  static final double MONTH_MIN = 30 * 24 * 60;

  /** UP since long before; DOWN for {@code downMs} from {@code start}. */
  static Timeline outage(Instant start, long downMs) {
    return new Timeline(
        UP,
        Instant.parse("2026-01-01T00:00:00Z"),
        List.of(
            new Timeline.Change(start, DOWN), new Timeline.Change(start.plusMillis(downMs), UP)));
  }

  static Slo.Status at999(Timeline t) {
    return Slo.compute(t, 99.9, 30, NOW);
  }

  @Test
  void a43point2MinuteOutageIn30DaysAt999ConsumesExactlyTheWholeBudget() {
    Slo.Status s = at999(outage(NOW.minus(Duration.ofDays(10)), 2_592_000));
    assertEquals(43.2, s.budgetMinutes(), 0.0);
    assertEquals(43.2, s.consumedMinutes(), 0.0);
    assertEquals(0.0, s.remainingRatio(), 0.0);
    assertEquals(0.0, s.remainingMinutes(), 0.0);
    assertEquals(30 * 24 * 60 * MIN, s.countedMs());
    assertEquals(NOW.minus(Duration.ofDays(30)), s.from());
  }

  @Test
  void remainingIsLinearAndGoesNegativeWhenOverspent() {
    record Row(long downMs, double remaining) {}
    for (Row row :
        List.of(
            new Row(0, 1.0),
            new Row(1_296_000, 0.5), // 21.6 min
            new Row(2_592_000, 0.0),
            new Row(5_184_000, -1.0), // 86.4 min: twice the budget
            new Row(25_920_000, -9.0))) { // 7.2 h
      Slo.Status s = at999(outage(NOW.minus(Duration.ofDays(20)), row.downMs()));
      assertEquals(row.remaining(), s.remainingRatio(), 0.0, row.downMs() + " ms down");
    }
  }

  @Test
  void anOutageBeforeTheWindowIsForgotten() {
    Slo.Status s = at999(outage(NOW.minus(Duration.ofDays(31)), 60 * MIN));
    assertEquals(1.0, s.remainingRatio());
    assertEquals(0, s.downMs());
  }

  @Test
  void burnRatesOfAnOutageStillGoingOnInEveryWindow() {
    // DOWN for the last 3 minutes: bad fraction / 0.001 in each window
    Slo.Status s = at999(outage(NOW.minus(Duration.ofMinutes(3)), 10 * MIN));
    assertEquals(600.0, s.burn(BurnWindow.FIVE_MINUTES), 1e-9); // 3/5
    assertEquals(100.0, s.burn(BurnWindow.THIRTY_MINUTES), 1e-9); // 3/30
    assertEquals(50.0, s.burn(BurnWindow.ONE_HOUR), 1e-9); // 3/60
    assertEquals(1000.0 * 3 / 360, s.burn(BurnWindow.SIX_HOURS), 1e-9);
    assertEquals(1000.0 * 3 / 4320, s.burn(BurnWindow.THREE_DAYS), 1e-9);
    assertEquals(NOW.minus(Duration.ofMinutes(3)), s.lastDownStart());
  }

  @Test
  void burnRatesOfAnOutageThatEndedFourHoursAgo() {
    // DOWN 2 h, ended 4 h ago: only the 6 h and 3 d windows see it
    Slo.Status s = at999(outage(NOW.minus(Duration.ofHours(6)), 120 * MIN));
    assertEquals(0.0, s.burn(BurnWindow.FIVE_MINUTES));
    assertEquals(0.0, s.burn(BurnWindow.THIRTY_MINUTES));
    assertEquals(0.0, s.burn(BurnWindow.ONE_HOUR));
    assertEquals(1000.0 / 3, s.burn(BurnWindow.SIX_HOURS), 1e-9);
    assertEquals(1000.0 * 120 / 4320, s.burn(BurnWindow.THREE_DAYS), 1e-9);
    assertEquals(NOW.minus(Duration.ofHours(6)), s.lastDownStart(), "not clipped to 6 h");
    Slo.Status later =
        Slo.compute(outage(NOW.minus(Duration.ofHours(9)), 120 * MIN), 99.9, 30, NOW);
    assertNull(later.lastDownStart(), "ended 7 h ago: no anchor");
  }

  @Test
  void unknownAndMaintenanceTimeAreNotCounted() {
    // 10 days maintenance, then 5 days unknown, then UP with 43.2 min DOWN: 15 days counted,
    // so the budget is 21.6 min and 43.2 min spends it twice
    Instant start = NOW.minus(Duration.ofDays(30));
    Timeline t =
        new Timeline(
            MAINTENANCE,
            null,
            List.of(
                new Timeline.Change(start.plus(Duration.ofDays(10)), UNKNOWN),
                new Timeline.Change(start.plus(Duration.ofDays(15)), UP),
                new Timeline.Change(start.plus(Duration.ofDays(20)), DOWN),
                new Timeline.Change(start.plus(Duration.ofDays(20)).plusMillis(2_592_000), UP)));
    Slo.Status s = at999(t);
    assertEquals(10 * 24 * 60 * MIN, s.maintenanceMs());
    assertEquals(5 * 24 * 60 * MIN, s.unknownMs());
    assertEquals(15 * 24 * 60 * MIN, s.countedMs());
    assertEquals(21.6, s.budgetMinutes(), 1e-9);
    assertEquals(-1.0, s.remainingRatio(), 0.0);
    assertEquals(0.0, s.burn(BurnWindow.THREE_DAYS));
  }

  @Test
  void nothingCountedLeavesTheWholeBudgetAndNoBurnRates() {
    for (Status only : List.of(UNKNOWN, MAINTENANCE)) {
      Slo.Status s = at999(new Timeline(only, null, List.of()));
      assertEquals(1.0, s.remainingRatio());
      assertEquals(0.0, s.budgetMinutes());
      for (BurnWindow w : BurnWindow.values()) {
        assertNull(s.burn(w), only + " " + w);
      }
    }
  }

  @Test
  void otherObjectivesAndWindows() {
    // 99 % over 7 days: 100.8 min of budget; 50.4 min down is half of it
    Slo.Status s = Slo.compute(outage(NOW.minus(Duration.ofDays(2)), 3_024_000), 99.0, 7, NOW);
    assertEquals(100.8, s.budgetMinutes(), 1e-9);
    assertEquals(0.5, s.remainingRatio(), 0.0);
    assertEquals(100.0 * 50.4 / 4320, s.burn(BurnWindow.THREE_DAYS), 1e-9); // / (1 - 0.99)
    assertEquals(Duration.ofDays(3), Slo.lookback(1));
    assertEquals(Duration.ofDays(30), Slo.lookback(30));
    assertEquals(MONTH_MIN * 0.001, 43.2, 1e-9);
  }

  @Test
  void badArgumentsAreRefused() {
    Timeline t = outage(NOW, MIN);
    assertThrows(IllegalArgumentException.class, () -> Slo.compute(t, 100, 30, NOW));
    assertThrows(IllegalArgumentException.class, () -> Slo.compute(t, 0, 30, NOW));
    assertThrows(IllegalArgumentException.class, () -> Slo.compute(t, 99.9, 0, NOW));
  }
}
