package io.quorate.maintenance;

import io.quorate.config.MaintenanceWindow.Frequency;
import io.quorate.config.MaintenanceWindow.Recurrence;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Expands recurrence rules into concrete intervals (pure; DST-aware in the rule's zone).
 *
 * <p>An occurrence starts on a local date the rule matches at {@code rule.from()} local time and
 * ends at {@code rule.to()} local time, the same day, or the next day when {@code to <= from}. Each
 * of the two local date-times is turned into an instant on its own, with {@link ZonedDateTime#of}
 * semantics: a local time inside a spring-forward gap moves forward by the length of the gap;
 * inside an autumn overlap the earlier offset is used. A 01:00–03:00 window in Europe/London
 * therefore lasts 1 hour on the spring-forward day (01:00 GMT is 02:00 BST) and 3 hours on the
 * autumn day (01:00 BST to 03:00 GMT). An occurrence whose computed end is not after its start
 * (only possible when the start falls in a gap and the end just after it, e.g. 02:30– 03:15 in
 * America/New_York on the spring-forward day) does not happen.
 */
public final class Recurrences {
  /** {@link #between} refuses longer ranges. */
  public static final Duration MAX_RANGE = Duration.ofDays(400);

  /** Rule texts longer than this are refused by {@link #parse}. */
  public static final int MAX_TEXT = 200;

  /** Instants {@link #between} accepts: years 0001 to 9999 (UTC). */
  private static final Instant EARLIEST = Instant.parse("0001-01-03T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-29T00:00:00Z");

  private Recurrences() {}

  /** A concrete interval {@code start <= t < end}. */
  public record Interval(Instant start, Instant end) {}

  /**
   * Every occurrence of {@code rule} that overlaps {@code [from, to)}, sorted by start; an
   * occurrence that started before {@code from} and still lasts is included. Work is bounded: at
   * most one candidate per local day of the range plus two.
   *
   * @throws IllegalArgumentException when {@code to} is before {@code from} or more than 400 days
   *     after it, an instant is outside the years 0001–9999, or the rule is inconsistent (weekly
   *     without days, monthly without a weekday or with {@code nth} not in 1..4 or -1)
   */
  public static List<Interval> between(Recurrence rule, Instant from, Instant to) {
    Objects.requireNonNull(rule, "rule");
    check(rule);
    checkRange(from, to);
    List<Interval> out = new ArrayList<>();
    // An occurrence lasts at most ~26 h (next day + a DST shift): one day back is enough; two
    // keeps a margin for zones whose offset changes by more than an hour.
    LocalDate day = from.atZone(rule.zone()).toLocalDate().minusDays(2);
    LocalDate last = to.atZone(rule.zone()).toLocalDate();
    while (!day.isAfter(last)) {
      Interval i = on(rule, day);
      if (i != null && i.start().isBefore(to) && i.end().isAfter(from)) {
        out.add(i);
      }
      day = day.plusDays(1);
    }
    out.sort(Comparator.comparing(Interval::start));
    return out;
  }

  /**
   * The occurrence starting on local date {@code day}, or {@code null} when the rule does not occur
   * that day (not a matching day, outside validFrom/until, or empty across a DST gap).
   */
  public static Interval on(Recurrence rule, LocalDate day) {
    if (!matches(rule, day)) {
      return null;
    }
    LocalDate endDay = rule.to().isAfter(rule.from()) ? day : day.plusDays(1);
    Instant start = ZonedDateTime.of(day, rule.from(), rule.zone()).toInstant();
    Instant end = ZonedDateTime.of(endDay, rule.to(), rule.zone()).toInstant();
    return end.isAfter(start) ? new Interval(start, end) : null;
  }

  /**
   * Parses a human rule such as {@code second tuesday 02:00-04:00 Europe/London}; see {@code
   * docs/maintenance.md} for the grammar. The result has no validFrom/until.
   *
   * @throws InvalidRecurrenceException naming what is wrong
   */
  public static Recurrence parse(String text) {
    return new RecurrenceParser(text).parse();
  }

  /** Whether an occurrence starts on local date {@code day}. */
  static boolean matches(Recurrence rule, LocalDate day) {
    if (rule.validFrom() != null && day.isBefore(rule.validFrom())) {
      return false;
    }
    if (rule.until() != null && day.isAfter(rule.until())) {
      return false;
    }
    return switch (rule.frequency()) {
      case DAILY -> true;
      case WEEKLY -> rule.days().contains(day.getDayOfWeek());
      case MONTHLY -> day.getDayOfWeek() == rule.weekday() && nthMatches(rule.nth(), day);
    };
  }

  private static boolean nthMatches(int nth, LocalDate day) {
    if (nth == -1) {
      return day.plusWeeks(1).getMonth() != day.getMonth();
    }
    return (day.getDayOfMonth() - 1) / 7 + 1 == nth;
  }

  private static void check(Recurrence rule) {
    if (rule.frequency() == Frequency.WEEKLY && rule.days().isEmpty()) {
      throw new IllegalArgumentException("a weekly rule needs at least one weekday");
    }
    if (rule.frequency() == Frequency.MONTHLY) {
      if (rule.weekday() == null) {
        throw new IllegalArgumentException("a monthly rule needs a weekday");
      }
      if (rule.nth() != -1 && (rule.nth() < 1 || rule.nth() > 4)) {
        throw new IllegalArgumentException("nth must be 1..4 or -1, not " + rule.nth());
      }
    }
  }

  private static void checkRange(Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("range end " + to + " is before its start " + from);
    }
    if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
      throw new IllegalArgumentException("range outside the years 0001 to 9999");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new IllegalArgumentException(
          "range of " + Duration.between(from, to).toDays() + " days; at most 400 are expanded");
    }
  }
}
