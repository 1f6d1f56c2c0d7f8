package io.quorate.api;

import io.quorate.store.Sla;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/** Figures and fixed texts of the monthly SLA report, shared by its formats. */
final class ReportCells {
  private ReportCells() {}

  /** The method in one paragraph (docs/sla-slo.md has the long form). */
  static final String METHOD =
      "Uptime is computed from the quorum verdict history: a service counts as down while a"
          + " quorum of monitoring regions agrees it is DOWN; DEGRADED counts as up."
          + " Time without a quorate verdict (UNKNOWN) and time inside an announced or"
          + " configured maintenance window (MAINTENANCE) are excluded from both sides of the"
          + " ratio and reported separately. Uptime = (up + degraded) / (up + degraded + down),"
          + " shown rounded down to four decimals. A group is down only while all of its"
          + " members are down at the same time. An incident is one continuous period of"
          + " downtime; maintenance or unknown time ends it. When the objective is missed, the"
          + " credit is the downtime percentage or the tier the uptime falls below, under the"
          + " contract terms of the group (or the default terms), capped at the maximum credit.";

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** "November 2026", or "2026-11-03 00:00 UTC to 2026-11-04 00:00 UTC" for a range. */
  static String period(SlaReportQuery q) {
    if (q.month() != null) {
      YearMonth m = YearMonth.parse(q.month());
      return m.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + m.getYear();
    }
    return time(q.from()) + " to " + time(q.to());
  }

  /** "2026-11-10 02:00 UTC". */
  static String time(Instant t) {
    return WHEN.format(t);
  }

  /** Uptime rounded down to 4 decimals (never shows a missed objective as met), or "n/a". */
  static String uptime(Double percent) {
    return percent == null
        ? "n/a"
        : BigDecimal.valueOf(percent).setScale(4, RoundingMode.FLOOR).toPlainString();
  }

  /** Minutes with at most 3 decimals, no trailing zeros: "30", "43.2". */
  static String minutes(long ms) {
    return plain(minutesValue(ms));
  }

  /** Milliseconds as minutes rounded to 3 decimals (as {@code /sla} reports them). */
  static double minutesValue(long ms) {
    return Math.round(ms / 60.0) / 1000.0;
  }

  /** A number without trailing zeros or exponent. */
  static String plain(double d) {
    BigDecimal b = BigDecimal.valueOf(d).stripTrailingZeros();
    return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
  }

  /** The percentage as {@code /sla} reports it: 6 decimals. */
  static Double round(Double d) {
    return d == null ? null : Math.round(d * 1_000_000) / 1_000_000.0;
  }

  static String objective(Sla.Report r) {
    return r.terms() == null ? "n/a" : plain(r.terms().objectivePercent());
  }

  static String met(Sla.Report r) {
    return r.met() == null ? "n/a" : r.met() ? "yes" : "no";
  }

  static String credit(Sla.Report r) {
    return r.creditPercent() == null ? "n/a" : plain(round(r.creditPercent()));
  }

  /** The credit rule in words: "tiers (below 99 %: 25 %)", "downtime percentage, max 50 %". */
  static String rule(Sla.Report r) {
    Sla.Terms t = r.terms();
    if (t == null) {
      return "no contract";
    }
    String s =
        t.credit() instanceof Sla.Tiers
            ? "tiers"
                + (r.tier() == null ? "" : " (below " + plain(r.tier().belowPercent()) + " %)")
            : "downtime percentage";
    return t.maxCreditPercent() == null ? s : s + ", max " + plain(t.maxCreditPercent()) + " %";
  }

  /** "1 h 30 min", "45 min", "12 s". */
  static String duration(long ms) {
    long s = ms / 1000;
    if (s < 60) {
      return s + " s";
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    return h == 0 ? m + " min" : m == 0 ? h + " h" : h + " h " + m + " min";
  }
}
