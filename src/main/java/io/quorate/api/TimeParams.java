package io.quorate.api;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code from} and {@code to} query parameters: RFC 3339 date-times, or dates meaning 00:00 UTC;
 * anything else is a 400 problem naming the parameter.
 */
final class TimeParams {
  private TimeParams() {}

  /** The parameter {@code name}, or {@code dflt} when absent. */
  static Instant instant(MultiMap params, String name, Instant dflt) {
    String s = params.get(name);
    if (s == null) {
      return dflt;
    }
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(
          "query parameter '"
              + name
              + "' must be an RFC 3339 date-time or a date, got '"
              + Responses.clip(s)
              + "'");
    }
  }

  /** {@code from < to} and the window at most {@code max}, else a 400 problem. */
  static void check(Instant from, Instant to, Duration max, String unit) {
    if (!from.isBefore(to)) {
      throw Problem.badRequest("'from' must be before 'to'");
    }
    if (Duration.between(from, to).compareTo(max) > 0) {
      throw Problem.badRequest("the window may span at most " + unit);
    }
  }
}
