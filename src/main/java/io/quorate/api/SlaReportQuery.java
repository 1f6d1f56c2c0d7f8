package io.quorate.api;

import io.quorate.store.Sla;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The period of a monthly SLA report: {@code month=YYYY-MM} (UTC), or {@code from} and {@code to}
 * as for {@code /sla} (parsed by {@link SlaQuery}), or by default the previous full UTC month.
 *
 * @param month the month as given or defaulted, {@code null} for a {@code from}/{@code to} range
 * @param from inclusive start
 * @param to exclusive end
 */
record SlaReportQuery(String month, Instant from, Instant to) {

  static SlaReportQuery parse(MultiMap params, Clock clock) {
    String month = params.get("month");
    boolean range = params.get("from") != null || params.get("to") != null;
    if (month != null && range) {
      throw Problem.badRequest("give either 'month' or 'from' and 'to', not both");
    }
    if (range) {
      Instant from = SlaQuery.instant(params, "from");
      Instant to = SlaQuery.instant(params, "to");
      if (!from.isBefore(to)) {
        throw Problem.badRequest("'from' must be before 'to'");
      }
      if (!SlaResource.withinRange(from, to)) {
        throw Problem.badRequest(
            "the window may span at most " + SlaResource.MAX_RANGE.toDays() + " days");
      }
      return new SlaReportQuery(null, from, to);
    }
    YearMonth m =
        month != null
            ? SlaQuery.month(month)
            : YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).minusMonths(1);
    Instant[] window = Sla.month(m);
    return new SlaReportQuery(m.toString(), window[0], window[1]);
  }
}
