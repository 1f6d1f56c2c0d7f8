package io.quorate.store;

import io.quorate.quorum.Status;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * SLA arithmetic (ADR 0013), a pure function of a {@link Timeline}, a window {@code [from, to)} and
 * the current time. DOWN is downtime; DEGRADED counts as up and is reported apart; UNKNOWN (no
 * quorate verdict, or nothing recorded) is left out of the denominator and reported; time after
 * {@code now} is not counted at all. {@code uptime = (up + degraded) / (up + degraded + down)}.
 */
public final class Sla {
  /** At most this many incidents are listed in a report ({@code incidentCount} stays exact). */
  public static final int MAX_INCIDENTS = 1_000;

  private Sla() {}

  /**
   * Contract terms.
   *
   * @param objectivePercent the promised uptime, e.g. 99.9; below it the credit is the downtime
   *     percentage ("refund the downtime percentage")
   */
  public record Terms(double objectivePercent) {
    public Terms {
      if (!(objectivePercent > 0 && objectivePercent <= 100)) {
        throw new IllegalArgumentException("objectivePercent must be in (0, 100]");
      }
    }

    long ppm() {
      return Math.round(objectivePercent * 10_000);
    }
  }

  /**
   * One maximal DOWN run inside the window.
   *
   * @param start when it began, clipped to the window start
   * @param end when it ended, clipped to the end of the evaluated window
   * @param downMs its length inside the window
   * @param startedBefore it was already DOWN before the window start
   * @param open still DOWN at the end of the evaluated window
   */
  public record Incident(
      Instant start, Instant end, long downMs, boolean startedBefore, boolean open) {}

  /**
   * The report.
   *
   * @param from window start (inclusive)
   * @param to window end (exclusive)
   * @param evaluatedUntil {@code min(max(now, from), to)}: later time is not counted
   * @param upMs time UP
   * @param degradedMs time DEGRADED (counted as up)
   * @param downMs time DOWN
   * @param unknownMs time UNKNOWN (excluded from the denominator)
   * @param uptimePercent {@code null} when nothing known was counted
   * @param incidentCount every incident in the window
   * @param incidents the first {@link #MAX_INCIDENTS} incidents
   * @param terms the contract, or {@code null}
   * @param met whether the uptime met the objective ({@code null} without terms or uptime)
   * @param creditPercent the downtime percentage when not met, 0 when met ({@code null} as met)
   */
  public record Report(
      Instant from,
      Instant to,
      Instant evaluatedUntil,
      long upMs,
      long degradedMs,
      long downMs,
      long unknownMs,
      Double uptimePercent,
      int incidentCount,
      List<Incident> incidents,
      Terms terms,
      Boolean met,
      Double creditPercent) {
    public Report {
      incidents = List.copyOf(incidents);
    }
  }

  /** The UTC month {@code [first day 00:00, first day of the next month 00:00)}. */
  public static Instant[] month(YearMonth m) {
    return new Instant[] {
      m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
      m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
    };
  }

  /** Computes the report of {@code timeline} over {@code [from, to)} as seen at {@code now}. */
  public static Report compute(
      Timeline timeline, Instant from, Instant to, Instant now, Terms terms) {
    Objects.requireNonNull(timeline, "timeline");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
    Instant end = now.isBefore(from) ? from : now.isAfter(to) ? to : now;
    // times are stored in milliseconds: the state 1 ms before `from` is the state before it
    boolean downBefore = timeline.stateAt(from.minusMillis(1)) == Status.DOWN;
    Tally tally = new Tally(from, end, downBefore);
    Status state = timeline.stateAt(from);
    Instant at = from;
    for (Timeline.Change c : timeline.changes()) {
      if (!c.at().isAfter(from)) {
        continue;
      }
      if (!c.at().isBefore(end)) {
        break;
      }
      tally.span(state, at, c.at());
      state = c.state();
      at = c.at();
    }
    tally.span(state, at, end);
    return tally.report(to, terms);
  }

  /** Accumulates spans in time order. */
  private static final class Tally {
    private final Instant from;
    private final Instant end;
    private final long[] ms = new long[Status.values().length];
    private final List<Incident> incidents = new ArrayList<>();
    private int incidentCount;
    private final boolean downBefore;
    private Instant downSince;

    Tally(Instant from, Instant end, boolean downBefore) {
      this.from = from;
      this.end = end;
      this.downBefore = downBefore;
    }

    void span(Status s, Instant a, Instant b) {
      long len = b.toEpochMilli() - a.toEpochMilli();
      ms[s.ordinal()] += len;
      if (s == Status.DOWN && downSince == null && len > 0) {
        downSince = a;
      } else if (s != Status.DOWN && downSince != null) {
        close(a, false);
      }
    }

    private void close(Instant at, boolean open) {
      incidentCount++;
      if (incidents.size() < MAX_INCIDENTS) {
        long down = at.toEpochMilli() - downSince.toEpochMilli();
        incidents.add(
            new Incident(downSince, at, down, downBefore && downSince.equals(from), open));
      }
      downSince = null;
    }

    Report report(Instant to, Terms terms) {
      if (downSince != null) {
        close(end, true);
      }
      long up = ms[Status.UP.ordinal()];
      long degraded = ms[Status.DEGRADED.ordinal()];
      long down = ms[Status.DOWN.ordinal()];
      long known = up + degraded + down;
      Double uptime = known == 0 ? null : 100.0 * (up + degraded) / known;
      Boolean met = null;
      Double credit = null;
      if (terms != null && uptime != null) {
        // exact integer comparison: 99.9 % of a month must not fail on a rounding error
        met = (up + degraded) * 1_000_000L >= terms.ppm() * known;
        credit = met ? 0.0 : 100.0 * down / known;
      }
      return new Report(
          from,
          to,
          end,
          up,
          degraded,
          down,
          ms[Status.UNKNOWN.ordinal()],
          uptime,
          incidentCount,
          incidents,
          terms,
          met,
          credit);
    }
  }
}
