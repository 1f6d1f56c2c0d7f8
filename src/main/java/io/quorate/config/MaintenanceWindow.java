package io.quorate.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A planned maintenance window: one-off ({@code start}/{@code end}) or recurring ({@code
 * recurrence}). While one of its occurrences lasts, its targets' verdicts show MAINTENANCE, raise
 * no alerts and are not charged against uptime.
 *
 * @param id unique id ({@code [a-z0-9][a-z0-9._-]*})
 * @param title short text shown on the status page
 * @param description longer text, or {@code null}
 * @param targets target ids covered
 * @param groups group ids covered (every target of each)
 * @param start one-off start ({@code null} when recurring)
 * @param end one-off end, after {@code start} ({@code null} when recurring)
 * @param recurrence the rule of a recurring window ({@code null} when one-off)
 * @param failover whether failover still acts on covered targets during the window
 * @param announce shown as a notice on the status page (also in public mode)
 */
public record MaintenanceWindow(
    String id,
    String title,
    String description,
    List<String> targets,
    List<String> groups,
    Instant start,
    Instant end,
    Recurrence recurrence,
    FailoverMode failover,
    boolean announce) {

  public MaintenanceWindow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(failover, "failover");
    targets = List.copyOf(targets);
    groups = List.copyOf(groups);
    if ((recurrence == null) == (start == null || end == null)) {
      throw new IllegalArgumentException("a window is either one-off or recurring");
    }
  }

  /** True when this window repeats. */
  public boolean recurring() {
    return recurrence != null;
  }

  /** What failover does for covered targets during a window. */
  public enum FailoverMode {
    /** Failover keeps acting on the quorum's underlying verdict (e.g. removes a dead member). */
    ACT,
    /** No DNS change for pools with a covered member until the window ends. */
    FREEZE
  }

  /** How often a recurring window repeats. */
  public enum Frequency {
    DAILY,
    WEEKLY,
    MONTHLY
  }

  /**
   * A recurrence rule in local time of a time zone. An occurrence starts at {@code from} local time
   * and ends at {@code to} local time (the next day when {@code to <= from}).
   *
   * @param frequency daily, weekly or monthly
   * @param days weekly: the weekdays it occurs on (empty otherwise)
   * @param nth monthly: which occurrence of {@code weekday} in the month (1–4, or -1 for the last);
   *     0 otherwise
   * @param weekday monthly: the weekday ({@code null} otherwise)
   * @param from local start time
   * @param to local end time
   * @param zone the time zone {@code from} and {@code to} are in
   * @param validFrom first local date an occurrence may start on, or {@code null}
   * @param until last local date an occurrence may start on, or {@code null}
   * @param text the rule as written, e.g. {@code second tuesday 02:00-04:00 Europe/London}
   */
  public record Recurrence(
      Frequency frequency,
      Set<DayOfWeek> days,
      int nth,
      DayOfWeek weekday,
      LocalTime from,
      LocalTime to,
      ZoneId zone,
      LocalDate validFrom,
      LocalDate until,
      String text) {
    public Recurrence {
      Objects.requireNonNull(frequency, "frequency");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(zone, "zone");
      days = Set.copyOf(days);
    }
  }
}
