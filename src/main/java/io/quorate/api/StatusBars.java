package io.quorate.api;

import io.quorate.quorum.Status;
import io.quorate.store.Sla;
import io.quorate.store.Timeline;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The status page's uptime bars: one value per UTC day, with {@link Sla} semantics per day (DOWN is
 * downtime, DEGRADED counts as up, UNKNOWN and MAINTENANCE are left out of the denominator). Pure
 * functions of a {@link Timeline}, maintenance windows and the current time.
 */
public final class StatusBars {
  /** Days shown, today included. */
  public static final int DAYS = 90;

  private StatusBars() {}

  /** A time range {@code [start, end)} not charged against uptime (a maintenance occurrence). */
  public record Window(Instant start, Instant end) {}

  /**
   * One UTC day.
   *
   * @param date the day
   * @param uptimePercent {@code null} when nothing known was recorded that day ("no data")
   * @param downMs downtime that day
   * @param maintenanceMs time in maintenance that day
   */
  public record Day(LocalDate date, Double uptimePercent, long downMs, long maintenanceMs) {}

  /**
   * The bars of one member or group.
   *
   * @param days {@link #DAYS} days, oldest first, ending today
   * @param periodPercent uptime over all of them, {@code null} without data
   */
  public record Bars(List<Day> days, Double periodPercent) {
    public Bars {
      days = List.copyOf(days);
    }
  }

  /** The first day shown at {@code now}. */
  public static LocalDate firstDay(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(DAYS - 1L);
  }

  /** 00:00 UTC of {@code d}. */
  public static Instant start(LocalDate d) {
    return d.atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** The bars of {@code t} (maintenance already overlaid) over the {@link #DAYS} up to now. */
  public static Bars bars(Timeline t, Instant now) {
    LocalDate first = firstDay(now);
    List<Day> days = new ArrayList<>(DAYS);
    for (int i = 0; i < DAYS; i++) {
      LocalDate d = first.plusDays(i);
      days.add(day(t, d, now));
    }
    Instant to = start(first.plusDays(DAYS));
    return new Bars(days, percent(Sla.compute(t, start(first), to, now, null)));
  }

  /** One day of {@code t} as seen at {@code now}. */
  static Day day(Timeline t, LocalDate d, Instant now) {
    Instant from = start(d);
    Sla.Report r = Sla.compute(t, from, start(d.plusDays(1)), now, null);
    long evaluated = r.evaluatedUntil().toEpochMilli() - from.toEpochMilli();
    long maintenance = evaluated - r.upMs() - r.degradedMs() - r.downMs() - r.unknownMs();
    return new Day(d, percent(r), r.downMs(), Math.max(0, maintenance));
  }

  /** Two decimals; any downtime stays below 100 so a short outage never reads as a clean day. */
  static Double percent(Sla.Report r) {
    if (r.uptimePercent() == null) {
      return null;
    }
    double p = Math.round(r.uptimePercent() * 100) / 100.0;
    return r.downMs() > 0 ? Math.min(p, 99.99) : p;
  }

  /** A group's bars: uptime from the group timeline, maintenance the most of any member's. */
  static Bars group(Timeline groupTimeline, List<Bars> members, Instant now) {
    Bars g = bars(groupTimeline, now);
    List<Day> days = new ArrayList<>(DAYS);
    for (int i = 0; i < DAYS; i++) {
      Day d = g.days().get(i);
      long m = 0;
      for (Bars b : members) {
        m = Math.max(m, b.days().get(i).maintenanceMs());
      }
      days.add(new Day(d.date(), d.uptimePercent(), d.downMs(), m));
    }
    return new Bars(days, g.periodPercent());
  }

  /**
   * {@code t} with MAINTENANCE in force inside every window (windows may overlap): one sweep over
   * the changes and window edges in time order, O((changes + windows) log).
   */
  public static Timeline overlay(Timeline t, List<Window> windows) {
    if (windows.isEmpty()) {
      return t;
    }
    Map<Instant, Integer> delta = new TreeMap<>();
    TreeSet<Instant> points = new TreeSet<>();
    for (Window w : windows) {
      if (w.start().isBefore(w.end())) {
        delta.merge(w.start(), 1, Integer::sum);
        delta.merge(w.end(), -1, Integer::sum);
        points.add(w.start());
        points.add(w.end());
      }
    }
    t.changes().forEach(c -> points.add(c.at()));
    List<Timeline.Change> out = new ArrayList<>();
    List<Timeline.Change> base = t.changes();
    Status state = t.initial();
    Status last = t.initial();
    int depth = 0;
    int next = 0;
    for (Instant p : points) {
      while (next < base.size() && !base.get(next).at().isAfter(p)) {
        state = base.get(next++).state();
      }
      depth += delta.getOrDefault(p, 0);
      Status shown = depth > 0 ? Status.MAINTENANCE : state;
      if (shown != last) {
        out.add(new Timeline.Change(p, shown));
        last = shown;
      }
    }
    return new Timeline(t.initial(), t.initialSince(), out);
  }
}
