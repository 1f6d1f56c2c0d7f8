package io.quorate.api;

import io.quorate.store.Sla;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The parameters of an SLA request, checked: exactly one of {@code target} and {@code group};
 * either {@code month} (YYYY-MM, UTC) or both {@code from} and {@code to} (RFC 3339 date-time, or a
 * date meaning 00:00 UTC) with {@code from < to} and a window within {@link SlaResource#MAX_RANGE};
 * an optional {@code objective} percentage in (0, 100] (it overrides the configured objective, not
 * the credit rule). Anything else is a 400 problem.
 */
record SlaQuery(
    String target, String group, String month, Instant from, Instant to, Double objective) {

  static SlaQuery parse(MultiMap params) {
    String target = params.get("target");
    String group = params.get("group");
    if ((target == null) == (group == null)) {
      throw Problem.badRequest("give exactly one of the query parameters 'target' and 'group'");
    }
    String month = params.get("month");
    Instant from;
    Instant to;
    if (month != null) {
      if (params.get("from") != null || params.get("to") != null) {
        throw Problem.badRequest("give either 'month' or 'from' and 'to', not both");
      }
      Instant[] window = Sla.month(month(month));
      from = window[0];
      to = window[1];
    } else {
      from = instant(params, "from");
      to = instant(params, "to");
      if (!from.isBefore(to)) {
        throw Problem.badRequest("'from' must be before 'to'");
      }
    }
    if (!SlaResource.withinRange(from, to)) {
      throw Problem.badRequest(
          "the window may span at most " + SlaResource.MAX_RANGE.toDays() + " days");
    }
    return new SlaQuery(target, group, month, from, to, objective(params.get("objective")));
  }

  static YearMonth month(String s) {
    try {
      YearMonth m = YearMonth.parse(s);
      if (m.getYear() >= 2000 && m.getYear() <= 9999) {
        return m;
      }
    } catch (DateTimeParseException e) {
      // fall through to the problem
    }
    throw Problem.badRequest(
        "query parameter 'month' must be YYYY-MM, got '" + Responses.clip(s) + "'");
  }

  static Instant instant(MultiMap params, String name) {
    String s = params.get(name);
    if (s == null) {
      throw Problem.badRequest("query parameter '" + name + "' is required (or give 'month')");
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

  private static Double objective(String s) {
    if (s == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(s);
      if (d > 0 && d <= 100) {
        return d;
      }
    } catch (NumberFormatException e) {
      // fall through to the problem
    }
    throw Problem.badRequest("query parameter 'objective' must be a percentage in (0, 100]");
  }
}
