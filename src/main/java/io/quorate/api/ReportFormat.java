package io.quorate.api;

import java.util.Locale;

/**
 * The formats of the monthly SLA report, chosen by {@code ?format=} or else by the {@code Accept}
 * header (RFC 9110 §12.5.1: the highest {@code q} wins; at equal {@code q} the range listed first,
 * and within a wildcard the order below; {@code q=0} means "not acceptable").
 */
enum ReportFormat {
  JSON("application/json", "json"),
  HTML("text/html; charset=utf-8", "html"),
  MARKDOWN("text/markdown; charset=utf-8; variant=GFM", "md"),
  CSV("text/csv; charset=utf-8; header=present", "csv");

  /** The {@code Content-Type} sent. */
  final String contentType;

  /** The {@code ?format=} value and the file extension. */
  final String key;

  ReportFormat(String contentType, String key) {
    this.contentType = contentType;
    this.key = key;
  }

  /** Longest {@code Accept} header read; longer is a 400 problem. */
  static final int MAX_ACCEPT_CHARS = 2_000;

  /** {@code format} if given, else by {@code accept}; 400 or 406 problems otherwise. */
  static ReportFormat choose(String format, String accept) {
    if (format != null) {
      for (ReportFormat f : values()) {
        if (f.key.equals(format) || (f == MARKDOWN && format.equals("markdown"))) {
          return f;
        }
      }
      throw Problem.badRequest(
          "query parameter 'format' must be json, csv, md or html, got '"
              + Responses.clip(format)
              + "'");
    }
    if (accept == null || accept.isBlank()) {
      return JSON;
    }
    if (accept.length() > MAX_ACCEPT_CHARS) {
      throw Problem.badRequest("the Accept header is longer than " + MAX_ACCEPT_CHARS);
    }
    ReportFormat best = null;
    double bestQ = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = q(parts);
      for (ReportFormat f : values()) {
        if (q > bestQ && f.matches(type)) {
          best = f;
          bestQ = q;
        }
      }
    }
    if (best == null) {
      throw new Problem(
          406,
          "not-acceptable",
          "Not Acceptable",
          "the SLA report is available as application/json, text/csv, text/markdown and"
              + " text/html (or ?format=json|csv|md|html)");
    }
    return best;
  }

  private boolean matches(String range) {
    int semi = contentType.indexOf(';');
    String type = semi < 0 ? contentType : contentType.substring(0, semi);
    return range.equals("*/*")
        || range.equals(type)
        || (range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1)));
  }

  private static double q(String[] params) {
    for (int i = 1; i < params.length; i++) {
      String p = params[i].trim();
      if (p.startsWith("q=") || p.startsWith("Q=")) {
        try {
          double q = Double.parseDouble(p.substring(2).trim());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
