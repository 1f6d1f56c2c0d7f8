package io.quorate.api;

import io.quorate.maintenance.Occurrence;
import io.quorate.store.Sla;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeSet;

/** The monthly SLA report as {@code application/json} (field names as in {@code /sla}). */
final class SlaReportJson {
  private SlaReportJson() {}

  static JsonObject render(MonthlyReport m) {
    JsonArray groups = new JsonArray();
    JsonArray ungrouped = new JsonArray();
    for (MonthlyReport.Section s : m.sections()) {
      JsonArray members = new JsonArray();
      s.members().forEach(r -> members.add(row(r)));
      if (s.group() == null) {
        ungrouped = members;
      } else {
        groups.add(row(s.group()).put("targets", members));
      }
    }
    JsonArray incidents = new JsonArray();
    m.incidents().forEach(i -> incidents.add(incident(i)));
    JsonArray maintenance = new JsonArray();
    m.maintenance().forEach(o -> maintenance.add(occurrence(o)));
    return new JsonObject()
        .put("title", m.title())
        .put("month", m.period().month())
        .put("from", JsonViews.time(m.period().from()))
        .put("to", JsonViews.time(m.period().to()))
        .put("generatedAt", JsonViews.time(m.generatedAt()))
        .put("groups", groups)
        .put("ungrouped", ungrouped)
        .put("incidentCount", m.incidentCount())
        .put("incidents", incidents)
        .put("maintenance", maintenance)
        .put("method", ReportCells.METHOD);
  }

  static JsonObject row(MonthlyReport.Row row) {
    Sla.Report r = row.sla();
    JsonObject j =
        new JsonObject()
            .put("id", row.id())
            .put("name", row.name())
            .put("uptimePercent", ReportCells.round(r.uptimePercent()))
            .put("objectivePercent", r.terms() == null ? null : r.terms().objectivePercent())
            .put("met", r.met())
            .put("downtimeMinutes", ReportCells.minutesValue(r.downMs()))
            .put("degradedMinutes", ReportCells.minutesValue(r.degradedMs()))
            .put("maintenanceMinutes", ReportCells.minutesValue(r.maintenanceMs()))
            .put("unknownMinutes", ReportCells.minutesValue(r.unknownMs()))
            .put("incidentCount", r.incidentCount())
            .put("creditPercent", ReportCells.round(r.creditPercent()))
            .put("creditRule", r.terms() == null ? null : r.terms().credit().wireName())
            .put("termsFrom", row.termsFrom());
    if (r.tier() != null) {
      j.put(
          "tier",
          new JsonObject()
              .put("belowPercent", r.tier().belowPercent())
              .put("creditPercent", r.tier().creditPercent()));
    }
    return j;
  }

  private static JsonObject incident(MonthlyReport.Incident i) {
    Sla.Incident x = i.incident();
    MonthlyReport.Row r = i.row();
    return new JsonObject()
        .put("target", r.isGroup() ? null : r.id())
        .put("group", r.isGroup() ? r.id() : r.group())
        .put("wholeGroup", r.isGroup())
        .put("start", JsonViews.time(x.start()))
        .put("end", JsonViews.time(x.end()))
        .put("durationMs", x.downMs())
        .put("startedBefore", x.startedBefore())
        .put("open", x.open());
  }

  private static JsonObject occurrence(Occurrence o) {
    return new JsonObject()
        .put("id", o.window().id())
        .put("title", o.window().title())
        .put("start", JsonViews.time(o.start()))
        .put("end", JsonViews.time(o.end()))
        .put("durationMs", o.end().toEpochMilli() - o.start().toEpochMilli())
        .put("groups", new JsonArray(o.window().groups()))
        .put("targets", new JsonArray(new java.util.ArrayList<>(new TreeSet<>(o.targets()))))
        .put("failover", o.window().failover().name().toLowerCase(java.util.Locale.ROOT));
  }
}
