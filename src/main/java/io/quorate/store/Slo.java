package io.quorate.store;

import static io.quorate.quorum.Status.DOWN;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * SLO arithmetic, a pure function of a {@link Timeline}, an objective, a rolling window and the
 * current time (docs/sla-slo.md). Good time is time not DOWN, as for the {@link Sla}; UNKNOWN and
 * MAINTENANCE time are not counted. Over the rolling window {@code [now - windowDays, now)}:
 *
 * <ul>
 *   <li>budget = (1 - objective) × counted time (a 30-day window with everything counted at 99.9 %
 *       allows exactly 43.2 minutes);
 *   <li>consumed = DOWN time; remaining = 1 - consumed / budget (negative once overspent);
 *   <li>burn rate over a shorter window w = (DOWN / counted in w) / (1 - objective): 1 spends the
 *       budget exactly over the SLO window, 14.4 spends 2 % of a 30-day budget in one hour.
 * </ul>
 *
 * Ratios are computed from whole milliseconds and parts per million, exactly (every operand stays
 * below 2^53 for windows up to 90 days).
 */
public final class Slo {
  private Slo() {}

  /** The windows burn rates are computed over. */
  public enum BurnWindow {
    FIVE_MINUTES("5m", Duration.ofMinutes(5)),
    THIRTY_MINUTES("30m", Duration.ofMinutes(30)),
    ONE_HOUR("1h", Duration.ofHours(1)),
    SIX_HOURS("6h", Duration.ofHours(6)),
    THREE_DAYS("3d", Duration.ofDays(3));

    private final String label;
    private final Duration length;

    BurnWindow(String label, Duration length) {
      this.label = label;
      this.length = length;
    }

    /**
     * The metric label and API key: {@code 5m}, {@code 30m}, {@code 1h}, {@code 6h}, {@code 3d}.
     */
    public String label() {
      return label;
    }

    public Duration length() {
      return length;
    }
  }

  /**
   * The state of one SLO at {@code evaluatedAt}.
   *
   * @param evaluatedAt the end of the window ("now")
   * @param from the start of the rolling window
   * @param countedMs time UP, DEGRADED or DOWN in the window (the denominator)
   * @param downMs time DOWN in the window (the budget consumed)
   * @param unknownMs time UNKNOWN in the window (not counted)
   * @param maintenanceMs time in MAINTENANCE in the window (not counted)
   * @param budgetMinutes the error budget: (1 - objective) × counted time
   * @param remainingRatio 1 - consumed / budget; 1 when nothing was counted; negative when
   *     overspent
   * @param burnRates per window; {@code null} where nothing was counted in that window
   * @param lastDownStart the start of the latest DOWN run within the last six hours (clipped to
   *     that window), or {@code null}: the anchor of burn alerts
   */
  public record Status(
      Instant evaluatedAt,
      Instant from,
      long countedMs,
      long downMs,
      long unknownMs,
      long maintenanceMs,
      double budgetMinutes,
      double remainingRatio,
      Map<BurnWindow, Double> burnRates,
      Instant lastDownStart) {
    public Status {
      burnRates = Collections.unmodifiableMap(new EnumMap<>(burnRates));
    }

    public double consumedMinutes() {
      return downMs / 60_000.0;
    }

    public double remainingMinutes() {
      return budgetMinutes - consumedMinutes();
    }

    /** The burn rate over {@code w}, or {@code null} when nothing was counted in it. */
    public Double burn(BurnWindow w) {
      return burnRates.get(w);
    }
  }

  /**
   * How far back a timeline must reach for {@link #compute}: the SLO window or the longest burn
   * window, whichever is longer.
   */
  public static Duration lookback(int windowDays) {
    Duration w = Duration.ofDays(windowDays);
    Duration longest = BurnWindow.THREE_DAYS.length();
    return w.compareTo(longest) >= 0 ? w : longest;
  }

  /** The SLO's state at {@code now}; {@code timeline} must reach back {@link #lookback}. */
  public static Status compute(
      Timeline timeline, double objectivePercent, int windowDays, Instant now) {
    Objects.requireNonNull(timeline, "timeline");
    if (!(objectivePercent > 0 && objectivePercent < 100)) {
      throw new IllegalArgumentException("objectivePercent must be in (0, 100)");
    }
    if (windowDays < 1) {
      throw new IllegalArgumentException("windowDays must be at least 1");
    }
    long allowedPpm = 1_000_000L - Sla.ppm(objectivePercent);
    Instant from = now.minus(Duration.ofDays(windowDays));
    Sla.Report r = Sla.compute(timeline, from, now, now, null);
    long counted = r.upMs() + r.degradedMs() + r.downMs();
    double remaining = 1.0 - ratio(r.downMs(), counted, allowedPpm, 0.0);
    Map<BurnWindow, Double> burns = new EnumMap<>(BurnWindow.class);
    for (BurnWindow w : BurnWindow.values()) {
      Sla.Report b = Sla.compute(timeline, now.minus(w.length()), now, now, null);
      long n = b.upMs() + b.degradedMs() + b.downMs();
      burns.put(w, n == 0 ? null : ratio(b.downMs(), n, allowedPpm, 0.0));
    }
    return new Status(
        now,
        from,
        counted,
        r.downMs(),
        r.unknownMs(),
        r.maintenanceMs(),
        counted * (double) allowedPpm / 1_000_000 / 60_000,
        remaining,
        burns,
        lastDownStart(timeline, now));
  }

  /** {@code (down / counted) / (allowedPpm / 10^6)}, exactly; {@code empty} when counted is 0. */
  private static double ratio(long down, long counted, long allowedPpm, double empty) {
    if (counted == 0) {
      return empty;
    }
    return (double) down * 1_000_000 / ((double) counted * allowedPpm);
  }

  /**
   * The start of the latest DOWN run that lasts into the last six hours (not clipped: the same
   * instant however late it is evaluated), or {@code null}.
   */
  static Instant lastDownStart(Timeline timeline, Instant now) {
    io.quorate.quorum.Status state = timeline.initial();
    Instant start = state == DOWN ? timeline.initialSince() : null;
    Instant end = null;
    for (Timeline.Change c : timeline.changes()) {
      if (c.at().isAfter(now)) {
        break;
      }
      if (c.state() == DOWN && state != DOWN) {
        start = c.at();
        end = null;
      } else if (c.state() != DOWN && state == DOWN) {
        end = c.at();
      }
      state = c.state();
    }
    boolean recent = end == null || end.isAfter(now.minus(BurnWindow.SIX_HOURS.length()));
    return state == DOWN || (start != null && recent) ? start : null;
  }
}
