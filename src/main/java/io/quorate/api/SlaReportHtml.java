package io.quorate.api;

import io.quorate.maintenance.Occurrence;
import io.quorate.store.Sla;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The monthly SLA report as a self-contained printable {@code text/html} page: one inline style
 * (allowed by its SHA-256 in {@link #CSP}, CSP Level 3), no script, no external asset; every text
 * from the config or the store is HTML-escaped.
 */
final class SlaReportHtml {
  private SlaReportHtml() {}

  static final String STYLE =
      "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;"
          + "max-width:1100px;margin:2em auto;padding:0 1em}"
          + "h1{font-size:1.7em;margin:0}h2{margin-top:1.8em;border-bottom:1px solid #d0d7de}"
          + "h3{margin:1.2em 0 .4em}.sub{color:#57606a;margin:.2em 0 1em}"
          + "table{border-collapse:collapse;width:100%;margin:.4em 0}"
          + "th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left}"
          + "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
          + "thead th{background:#f6f8fa}tr.group td{font-weight:600;background:#f6f8fa}"
          + ".no{color:#b42318;font-weight:600}.yes{color:#1a7f37}"
          + "footer{margin-top:2em;color:#57606a;font-size:.9em}"
          + "@media print{body{margin:0;max-width:none;font-size:11px}"
          + "h2{break-after:avoid}tr{break-inside:avoid}}@page{size:A4 landscape;margin:12mm}";

  /** Only the inline style above; nothing else loads or runs. */
  static final String CSP =
      "default-src 'none'; style-src '"
          + sha256(STYLE)
          + "'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String HEAD =
      "<tr><th>Service</th><th class=\"n\">Uptime %</th><th class=\"n\">Objective %</th>"
          + "<th>Met</th><th class=\"n\">Downtime min</th><th class=\"n\">Degraded min</th>"
          + "<th class=\"n\">Maintenance min</th><th class=\"n\">Unknown min</th>"
          + "<th class=\"n\">Incidents</th><th class=\"n\">Credit %</th></tr>";

  static String render(MonthlyReport m) {
    String period = ReportCells.period(m.period());
    StringBuilder sb = new StringBuilder(16_384);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    sb.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    sb.append("<title>").append(esc(m.title())).append(" — SLA report ").append(esc(period));
    sb.append("</title><style>").append(STYLE).append("</style></head>\n<body>\n");
    sb.append("<header><h1>").append(esc(m.title())).append("</h1>");
    sb.append("<p class=\"sub\">Service level report for <strong>").append(esc(period));
    sb.append("</strong>: ").append(ReportCells.time(m.period().from())).append(" to ");
    sb.append(ReportCells.time(m.period().to())).append(" (end exclusive)</p></header>\n");
    sb.append("<section><h2>Availability</h2>\n");
    for (MonthlyReport.Section s : m.sections()) {
      sb.append("<h3>").append(s.group() == null ? "Other services" : esc(s.group().name()));
      sb.append("</h3>\n<table><thead>").append(HEAD).append("</thead><tbody>\n");
      if (s.group() != null) {
        row(sb, esc(s.group().name()) + " (whole group)", s.group().sla(), true);
      }
      s.members().forEach(r -> row(sb, esc(r.name()), r.sla(), false));
      sb.append("</tbody></table>\n");
    }
    sb.append("</section>\n");
    incidents(sb, m);
    maintenance(sb, m);
    credits(sb, m);
    sb.append("<section><h2>Method</h2>\n<p>").append(esc(ReportCells.METHOD));
    sb.append("</p></section>\n<footer>Generated at ").append(ReportCells.time(m.generatedAt()));
    sb.append(" by Quorate.</footer>\n</body></html>\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, Sla.Report r, boolean group) {
    sb.append(group ? "<tr class=\"group\">" : "<tr>").append("<td>").append(name).append("</td>");
    num(sb, ReportCells.uptime(r.uptimePercent()));
    num(sb, ReportCells.objective(r));
    String met = ReportCells.met(r);
    sb.append("<td class=\"").append(met.equals("n/a") ? "na" : met).append("\">").append(met);
    sb.append("</td>");
    num(sb, ReportCells.minutes(r.downMs()));
    num(sb, ReportCells.minutes(r.degradedMs()));
    num(sb, ReportCells.minutes(r.maintenanceMs()));
    num(sb, ReportCells.minutes(r.unknownMs()));
    num(sb, Integer.toString(r.incidentCount()));
    num(sb, ReportCells.credit(r));
    sb.append("</tr>\n");
  }

  private static void num(StringBuilder sb, String v) {
    sb.append("<td class=\"n\">").append(v).append("</td>");
  }

  private static void incidents(StringBuilder sb, MonthlyReport m) {
    sb.append("<section><h2>Incidents</h2>\n");
    if (m.incidents().isEmpty()) {
      sb.append("<p>No incidents.</p></section>\n");
      return;
    }
    sb.append("<table><thead><tr><th>Start</th><th>End</th><th class=\"n\">Duration</th>");
    sb.append("<th>Service</th></tr></thead><tbody>\n");
    for (MonthlyReport.Incident i : m.incidents()) {
      Sla.Incident x = i.incident();
      sb.append("<tr><td>").append(ReportCells.time(x.start()));
      sb.append(x.startedBefore() ? " (began earlier)" : "").append("</td><td>");
      sb.append(x.open() ? "ongoing" : ReportCells.time(x.end())).append("</td>");
      num(sb, ReportCells.duration(x.downMs()));
      MonthlyReport.Row r = i.row();
      String who =
          r.isGroup()
              ? esc(r.name()) + " (whole group)"
              : esc(r.name()) + (r.group() == null ? "" : " (" + esc(r.group()) + ")");
      sb.append("<td>").append(who).append("</td></tr>\n");
    }
    sb.append("</tbody></table>\n");
    if (m.incidents().size() < m.incidentCount()) {
      sb.append("<p>The first ").append(m.incidents().size()).append(" of ");
      sb.append(m.incidentCount()).append(" incidents are listed.</p>\n");
    }
    sb.append("</section>\n");
  }

  private static void maintenance(StringBuilder sb, MonthlyReport m) {
    sb.append("<section><h2>Maintenance</h2>\n");
    if (m.maintenance().isEmpty()) {
      sb.append("<p>No maintenance windows.</p></section>\n");
      return;
    }
    sb.append("<table><thead><tr><th>Start</th><th>End</th><th>Window</th><th>Covers</th>");
    sb.append("</tr></thead><tbody>\n");
    for (Occurrence o : m.maintenance()) {
      sb.append("<tr><td>").append(ReportCells.time(o.start())).append("</td><td>");
      sb.append(ReportCells.time(o.end())).append("</td><td>").append(esc(o.window().title()));
      sb.append("</td><td>").append(esc(SlaReportMarkdown.covers(o))).append("</td></tr>\n");
    }
    sb.append("</tbody></table></section>\n");
  }

  private static void credits(StringBuilder sb, MonthlyReport m) {
    sb.append("<section><h2>Service credits</h2>\n");
    StringBuilder rows = new StringBuilder();
    for (MonthlyReport.Section s : m.sections()) {
      for (MonthlyReport.Row r : s.group() == null ? s.members() : List.of(s.group())) {
        if (Boolean.FALSE.equals(r.sla().met())) {
          rows.append("<tr><td>").append(esc(r.name())).append("</td>");
          num(rows, ReportCells.uptime(r.sla().uptimePercent()));
          num(rows, ReportCells.objective(r.sla()));
          rows.append("<td>").append(esc(ReportCells.rule(r.sla()))).append("</td>");
          num(rows, ReportCells.credit(r.sla()));
          rows.append("</tr>\n");
        }
      }
    }
    if (rows.isEmpty()) {
      sb.append("<p>No service credits are due for this period.</p></section>\n");
      return;
    }
    sb.append("<table><thead><tr><th>Service</th><th class=\"n\">Uptime %</th>");
    sb.append("<th class=\"n\">Objective %</th><th>Rule</th><th class=\"n\">Credit %</th></tr>");
    sb.append("</thead><tbody>\n").append(rows).append("</tbody></table></section>\n");
  }

  /** HTML text and attribute escaping. */
  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
