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
 * quorate verdict, or nothing recorded) and MAINTENANCE (inside a maintenance window) are left out
 * of the denominator and reported apart; time after {@code now} is not counted at all. {@code
 * uptime = (up + degraded) / (up + degraded + down)}. An incident is one maximal DOWN run: a
 * maintenance window (or unknown time) ends it, and DOWN after the window is a new incident.
 */
public final class Sla {
  /** At most this many incidents are listed in a report ({@code incidentCount} stays exact). */
  public static final int MAX_INCIDENTS = 1_000;

  private Sla() {}

  /**
   * Contract terms.
   *
   * @param objectivePercent the promised uptime, e.g. 99.9
   * @param credit what is refunded when the objective is missed
   * @param maxCreditPercent the credit never exceeds this, or {@code null} for no cap
   */
  public record Terms(double objectivePercent, Credit credit, Double maxCreditPercent) {
    public Terms {
      if (!(objectivePercent > 0 && objectivePercent <= 100)) {
        throw new IllegalArgumentException("objectivePercent must be in (0, 100]");
      }
      Objects.requireNonNull(credit, "credit");
      if (maxCreditPercent != null && !(maxCreditPercent > 0 && maxCreditPercent <= 100)) {
        throw new IllegalArgumentException("maxCreditPercent must be in (0, 100]");
      }
    }

    /** The default rule: below the objective, refund the downtime percentage; no cap. */
    public Terms(double objectivePercent) {
      this(objectivePercent, DowntimePercentage.INSTANCE, null);
    }

    /** The same terms with another objective (a request's {@code objective=}). */
    public Terms withObjective(double percent) {
      return new Terms(percent, credit, maxCreditPercent);
    }

    long ppm() {
      return Sla.ppm(objectivePercent);
    }
  }

  /** A credit rule: what is refunded when the objective is missed. */
  public sealed interface Credit permits DowntimePercentage, Tiers {
    /** The rule's name in config and reports: {@code downtime-percentage} or {@code tiers}. */
    String wireName();
  }

  /** Refund the downtime percentage of the window (1 h down in 720 h: 0.1389 %). */
  public record DowntimePercentage() implements Credit {
    public static final DowntimePercentage INSTANCE = new DowntimePercentage();

    @Override
    public String wireName() {
      return "downtime-percentage";
    }
  }

  /**
   * Service-credit tiers: uptime below {@code belowPercent} earns {@code creditPercent}.
   *
   * @param belowPercent the tier applies when uptime is strictly below this
   * @param creditPercent the refund in percent, in (0, 100]
   */
  public record Tier(double belowPercent, double creditPercent) {
    public Tier {
      if (!(belowPercent > 0 && belowPercent <= 100)) {
        throw new IllegalArgumentException("belowPercent must be in (0, 100]");
      }
      if (!(creditPercent > 0 && creditPercent <= 100)) {
        throw new IllegalArgumentException("creditPercent must be in (0, 100]");
      }
    }
  }

  /**
   * Tiers with strictly decreasing {@code belowPercent}; the last (lowest) tier the uptime falls
   * below applies, e.g. {@code [<99.9: 10, <99.0: 25, <95.0: 100]} credits 25 % at 98 % uptime.
   */
  public record Tiers(List<Tier> tiers) implements Credit {
    public Tiers {
      tiers = List.copyOf(tiers);
      if (tiers.isEmpty()) {
        throw new IllegalArgumentException("at least one tier");
      }
      for (int i = 1; i < tiers.size(); i++) {
        if (!(tiers.get(i).belowPercent() < tiers.get(i - 1).belowPercent())) {
          throw new IllegalArgumentException("belowPercent must strictly decrease");
        }
      }
    }

    @Override
    public String wireName() {
      return "tiers";
    }

    /** The tier that applies to {@code good} of {@code known}, exactly; {@code null} for none. */
    Tier match(long good, long known) {
      Tier hit = null;
      for (Tier t : tiers) {
        if (good * 1_000_000L < ppm(t.belowPercent()) * known) {
          hit = t;
        }
      }
      return hit;
    }
  }

  /** A percentage in parts per million of the whole (99.9 % = 999,000). */
  static long ppm(double percent) {
    return Math.round(percent * 10_000);
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
   * @param maintenanceMs time in MAINTENANCE (excluded from the denominator, never downtime)
   * @param uptimePercent {@code null} when nothing known was counted
   * @param incidentCount every incident in the window
   * @param incidents the first {@link #MAX_INCIDENTS} incidents
   * @param terms the contract, or {@code null}
   * @param met whether the uptime met the objective ({@code null} without terms or uptime)
   * @param creditPercent the credit by the terms' rule (capped) when not met, 0 when met ({@code
   *     null} as met)
   * @param tier the tier that set the credit (tiered terms, not met), or {@code null}
   */
  public record Report(
      Instant from,
      Instant to,
      Instant evaluatedUntil,
      long upMs,
      long degradedMs,
      long downMs,
      long unknownMs,
      long maintenanceMs,
      Double uptimePercent,
      int incidentCount,
      List<Incident> incidents,
      Terms terms,
      Boolean met,
      Double creditPercent,
      Tier tier) {
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
      Tier tier = null;
      if (terms != null && uptime != null) {
        // exact integer comparison: 99.9 % of a month must not fail on a rounding error
        met = (up + degraded) * 1_000_000L >= terms.ppm() * known;
        if (met) {
          credit = 0.0;
        } else if (terms.credit() instanceof Tiers tiers) {
          tier = tiers.match(up + degraded, known);
          credit = tier == null ? 0.0 : tier.creditPercent();
        } else {
          credit = 100.0 * down / known;
        }
        if (terms.maxCreditPercent() != null) {
          credit = Math.min(credit, terms.maxCreditPercent());
        }
      }
      return new Report(
          from,
          to,
          end,
          up,
          degraded,
          down,
          ms[Status.UNKNOWN.ordinal()],
          ms[Status.MAINTENANCE.ordinal()],
          uptime,
          incidentCount,
          incidents,
          terms,
          met,
          credit,
          tier);
    }
  }
}
