package io.quorate.api;

import io.quorate.store.Sla;
import java.util.ArrayList;
import java.util.List;

/**
 * The monthly SLA report as {@code text/csv} (RFC 4180: CRLF line ends, a header line, fields with
 * a comma, quote or line break quoted with doubled quotes): one row per group and per target. A
 * cell starting with {@code = + - @}, a tab or a carriage return is prefixed with {@code '} so a
 * spreadsheet does not run a name as a formula (OWASP "CSV injection").
 */
final class SlaReportCsv {
  private SlaReportCsv() {}

  static final String HEADER =
      "group,groupName,kind,id,name,uptimePercent,objectivePercent,met,downtimeMinutes,"
          + "degradedMinutes,maintenanceMinutes,unknownMinutes,incidentCount,creditPercent,"
          + "creditRule,termsFrom";

  static String render(MonthlyReport m) {
    StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
    for (MonthlyReport.Section s : m.sections()) {
      MonthlyReport.Row g = s.group();
      if (g != null) {
        line(sb, g.id(), g.name(), g);
      }
      for (MonthlyReport.Row r : s.members()) {
        line(sb, g == null ? "" : g.id(), g == null ? "" : g.name(), r);
      }
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String group, String groupName, MonthlyReport.Row r) {
    Sla.Report x = r.sla();
    List<String> cells = new ArrayList<>(16);
    cells.add(group);
    cells.add(groupName);
    cells.add(r.isGroup() ? "group" : "target");
    cells.add(r.id());
    cells.add(r.name());
    cells.add(number(ReportCells.round(x.uptimePercent())));
    cells.add(x.terms() == null ? "" : ReportCells.plain(x.terms().objectivePercent()));
    cells.add(x.met() == null ? "" : x.met().toString());
    cells.add(ReportCells.minutes(x.downMs()));
    cells.add(ReportCells.minutes(x.degradedMs()));
    cells.add(ReportCells.minutes(x.maintenanceMs()));
    cells.add(ReportCells.minutes(x.unknownMs()));
    cells.add(Integer.toString(x.incidentCount()));
    cells.add(number(ReportCells.round(x.creditPercent())));
    cells.add(x.terms() == null ? "" : x.terms().credit().wireName());
    cells.add(r.termsFrom() == null ? "" : r.termsFrom());
    for (int i = 0; i < cells.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(cell(cells.get(i)));
    }
    sb.append("\r\n");
  }

  private static String number(Double d) {
    return d == null ? "" : ReportCells.plain(d);
  }

  /** One field: guarded against formula injection, then quoted when RFC 4180 requires it. */
  static String cell(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    char c = s.charAt(0);
    String v = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }
}
