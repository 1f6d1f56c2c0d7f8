package io.quorate.api;

import io.quorate.maintenance.Occurrence;
import io.quorate.store.Sla;

/**
 * The monthly SLA report as {@code text/markdown} (CommonMark with GFM tables): one table per
 * group, then incidents, maintenance, credits and the method. Text from the config is escaped so a
 * name can neither break a table nor inject HTML.
 */
final class SlaReportMarkdown {
  private SlaReportMarkdown() {}

  static final String TABLE_HEAD =
      "| Service | Uptime % | Objective % | Met | Downtime min | Degraded min | Maintenance min"
          + " | Unknown min | Incidents | Credit % |\n"
          + "|---|---:|---:|:---:|---:|---:|---:|---:|---:|---:|\n";

  static String render(MonthlyReport m) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(esc(m.title())).append("\n\n");
    sb.append("Service level report for **").append(ReportCells.period(m.period())).append("**: ");
    sb.append(ReportCells.time(m.period().from())).append(" to ");
    sb.append(ReportCells.time(m.period().to())).append(" (end exclusive).\n\n");
    for (MonthlyReport.Section s : m.sections()) {
      sb.append("## ").append(s.group() == null ? "Other services" : esc(s.group().name()));
      sb.append("\n\n").append(TABLE_HEAD);
      if (s.group() != null) {
        row(sb, "**" + esc(s.group().name()) + " (whole group)**", s.group().sla());
      }
      s.members().forEach(r -> row(sb, esc(r.name()), r.sla()));
      sb.append('\n');
    }
    incidents(sb, m);
    maintenance(sb, m);
    credits(sb, m);
    sb.append("## Method\n\n").append(ReportCells.METHOD).append("\n\n");
    sb.append("Generated at ").append(ReportCells.time(m.generatedAt())).append(" by Quorate.\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, Sla.Report r) {
    sb.append("| ").append(name);
    for (String c :
        new String[] {
          ReportCells.uptime(r.uptimePercent()),
          ReportCells.objective(r),
          ReportCells.met(r),
          ReportCells.minutes(r.downMs()),
          ReportCells.minutes(r.degradedMs()),
          ReportCells.minutes(r.maintenanceMs()),
          ReportCells.minutes(r.unknownMs()),
          Integer.toString(r.incidentCount()),
          ReportCells.credit(r)
        }) {
      sb.append(" | ").append(c);
    }
    sb.append(" |\n");
  }

  private static void incidents(StringBuilder sb, MonthlyReport m) {
    sb.append("## Incidents\n\n");
    if (m.incidents().isEmpty()) {
      sb.append("No incidents.\n\n");
      return;
    }
    sb.append("| Start | End | Duration | Service |\n|---|---|---:|---|\n");
    for (MonthlyReport.Incident i : m.incidents()) {
      Sla.Incident x = i.incident();
      sb.append("| ").append(ReportCells.time(x.start()));
      sb.append(x.startedBefore() ? " (began earlier)" : "").append(" | ");
      sb.append(x.open() ? "ongoing" : ReportCells.time(x.end())).append(" | ");
      sb.append(ReportCells.duration(x.downMs())).append(" | ").append(subject(i)).append(" |\n");
    }
    listed(sb, m.incidents().size(), m.incidentCount());
  }

  private static void listed(StringBuilder sb, int listed, int total) {
    sb.append(listed < total ? "\nThe first " + listed + " of " + total + " are listed.\n" : "");
    sb.append('\n');
  }

  static String subject(MonthlyReport.Incident i) {
    MonthlyReport.Row r = i.row();
    return r.isGroup()
        ? esc(r.name()) + " (whole group)"
        : esc(r.name()) + (r.group() == null ? "" : " (" + esc(r.group()) + ")");
  }

  private static void maintenance(StringBuilder sb, MonthlyReport m) {
    sb.append("## Maintenance\n\n");
    if (m.maintenance().isEmpty()) {
      sb.append("No maintenance windows.\n\n");
      return;
    }
    sb.append("| Start | End | Window | Covers |\n|---|---|---|---|\n");
    for (Occurrence o : m.maintenance()) {
      sb.append("| ").append(ReportCells.time(o.start())).append(" | ");
      sb.append(ReportCells.time(o.end())).append(" | ").append(esc(o.window().title()));
      sb.append(" | ").append(esc(covers(o))).append(" |\n");
    }
    sb.append('\n');
  }

  /** "groups web; targets db-1, db-2" as the window names them. */
  static String covers(Occurrence o) {
    String g =
        o.window().groups().isEmpty() ? "" : "groups " + String.join(", ", o.window().groups());
    String t =
        o.window().targets().isEmpty() ? "" : "targets " + String.join(", ", o.window().targets());
    return g.isEmpty() ? t : t.isEmpty() ? g : g + "; " + t;
  }

  private static void credits(StringBuilder sb, MonthlyReport m) {
    sb.append("## Service credits\n\n");
    boolean any = false;
    for (MonthlyReport.Section s : m.sections()) {
      for (MonthlyReport.Row r : s.group() == null ? s.members() : java.util.List.of(s.group())) {
        if (Boolean.FALSE.equals(r.sla().met())) {
          if (!any) {
            sb.append("| Service | Uptime % | Objective % | Rule | Credit % |\n");
            sb.append("|---|---:|---:|---|---:|\n");
            any = true;
          }
          sb.append("| ").append(esc(r.name())).append(" | ");
          sb.append(ReportCells.uptime(r.sla().uptimePercent())).append(" | ");
          sb.append(ReportCells.objective(r.sla())).append(" | ");
          sb.append(esc(ReportCells.rule(r.sla()))).append(" | ");
          sb.append(ReportCells.credit(r.sla())).append(" |\n");
        }
      }
    }
    sb.append(any ? "\n" : "No service credits are due for this period.\n\n");
  }

  /**
   * Backslash-escapes the CommonMark punctuation that could start markup inside a table cell
   * (emphasis, links, HTML, entities, the cell separator); line breaks become spaces.
   */
  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      if (c == '\n' || c == '\r') {
        sb.append(' ');
      } else if ("\\`*_[]<>|#~&".indexOf(c) >= 0) {
        sb.append('\\').append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
