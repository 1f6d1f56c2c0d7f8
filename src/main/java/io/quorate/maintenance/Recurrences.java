package io.quorate.maintenance;

import io.quorate.config.MaintenanceWindow.Recurrence;
import java.time.Instant;
import java.util.List;

/** Expands recurrence rules into concrete intervals (pure; DST-aware in the rule's zone). */
public final class Recurrences {
  private Recurrences() {}

  /** A concrete interval {@code start <= t < end}. */
  public record Interval(Instant start, Instant end) {}

  /**
   * Every occurrence of {@code rule} that overlaps {@code [from, to)}, sorted by start.
   *
   * @throws IllegalArgumentException when {@code to} is more than 400 days after {@code from}
   */
  public static List<Interval> between(Recurrence rule, Instant from, Instant to) {
    throw new UnsupportedOperationException("recurring maintenance windows: not yet");
  }
}
