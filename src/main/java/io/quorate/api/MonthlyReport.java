package io.quorate.api;

import io.quorate.config.Objectives;
import io.quorate.config.QuorateConfig;
import io.quorate.config.StatusPage;
import io.quorate.config.Target;
import io.quorate.maintenance.Occurrence;
import io.quorate.store.Sla;
import io.quorate.store.Timeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The monthly SLA report over every group and target, a pure function of the config, the members'
 * timelines, the maintenance occurrences and the current time. Every figure comes from {@link
 * Sla#compute} under the terms {@link Objectives#termsFor} gives (the same as {@code /sla}); a
 * group's timeline is {@link Timeline#group} of its members'.
 *
 * @param title the heading (the status page title when configured)
 * @param period the reported window
 * @param generatedAt when it was computed
 * @param sections groups in config order, then the targets without a group ({@code group == null})
 * @param incidents every listed incident (targets' and groups'), by start, at most {@link
 *     #MAX_LISTED}
 * @param incidentCount every incident, listed or not
 * @param maintenance the maintenance occurrences overlapping the window, by start, at most {@link
 *     #MAX_LISTED}
 */
record MonthlyReport(
    String title,
    SlaReportQuery period,
    Instant generatedAt,
    List<Section> sections,
    List<Incident> incidents,
    int incidentCount,
    List<Occurrence> maintenance) {

  /** At most this many incidents and maintenance occurrences are listed. */
  static final int MAX_LISTED = 5_000;

  /** The heading when the status page has no title of its own. */
  static final String DEFAULT_TITLE = "Service level report";

  /**
   * One group (or the targets without one).
   *
   * @param group the group's row, or {@code null} for the targets without a group
   * @param members its targets' rows, in config order
   */
  record Section(Row group, List<Row> members) {}

  /**
   * One group's or target's figures.
   *
   * @param id the group or target id
   * @param name the display name (group {@code name}; a target's status page name, else its id)
   * @param group the group a target belongs to ({@code null} for a group row or no group)
   * @param isGroup a group row
   * @param sla the figures
   * @param termsFrom {@code sla} or {@code sla.groups.<id>}, {@code null} without terms
   */
  record Row(
      String id, String name, String group, boolean isGroup, Sla.Report sla, String termsFrom) {}

  /** One incident of a target ({@code row} a target row) or of a whole group. */
  record Incident(Row row, Sla.Incident incident) {}

  /** Builds the report; {@code timelines} holds one timeline per target id. */
  static MonthlyReport build(
      QuorateConfig config,
      SlaReportQuery period,
      Map<String, Timeline> timelines,
      List<Occurrence> occurrences,
      Instant now) {
    List<Section> sections = new ArrayList<>();
    for (QuorateConfig.Group g : config.groups()) {
      List<Target> members =
          config.targets().stream().filter(t -> g.id().equals(t.group())).toList();
      Timeline combined = Timeline.group(members.stream().map(t -> timelines.get(t.id())).toList());
      String name = g.name() == null || g.name().isBlank() ? g.id() : g.name();
      Row row = row(config, g.id(), name, null, true, combined, period, now);
      sections.add(new Section(row, rows(config, members, timelines, period, now)));
    }
    List<Target> loose = config.targets().stream().filter(t -> t.group() == null).toList();
    if (!loose.isEmpty()) {
      sections.add(new Section(null, rows(config, loose, timelines, period, now)));
    }
    List<Incident> incidents = new ArrayList<>();
    int count = 0;
    for (Section s : sections) {
      for (Row r : s.group() == null ? s.members() : concat(s.group(), s.members())) {
        count += r.sla().incidentCount();
        r.sla().incidents().forEach(i -> incidents.add(new Incident(r, i)));
      }
    }
    incidents.sort(
        Comparator.comparing((Incident i) -> i.incident().start())
            .thenComparing(i -> !i.row().isGroup())
            .thenComparing(i -> i.row().id()));
    List<Occurrence> maint =
        occurrences.size() <= MAX_LISTED ? occurrences : occurrences.subList(0, MAX_LISTED);
    return new MonthlyReport(
        title(config.statusPage()),
        period,
        now,
        List.copyOf(sections),
        List.copyOf(incidents.size() <= MAX_LISTED ? incidents : incidents.subList(0, MAX_LISTED)),
        count,
        List.copyOf(maint));
  }

  /** The status page's title when one is configured, else {@link #DEFAULT_TITLE}. */
  static String title(StatusPage page) {
    return page == null || page.title().equals(StatusPage.DEFAULT_TITLE)
        ? DEFAULT_TITLE
        : page.title();
  }

  private static List<Row> concat(Row first, List<Row> rest) {
    List<Row> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }

  private static List<Row> rows(
      QuorateConfig config,
      List<Target> targets,
      Map<String, Timeline> timelines,
      SlaReportQuery period,
      Instant now) {
    StatusPage page = config.statusPage() == null ? StatusPage.DEFAULT : config.statusPage();
    List<Row> out = new ArrayList<>(targets.size());
    for (Target t : targets) {
      String name = page.displayName(t.id());
      out.add(row(config, t.id(), name, t.group(), false, timelines.get(t.id()), period, now));
    }
    return out;
  }

  private static Row row(
      QuorateConfig config,
      String id,
      String name,
      String group,
      boolean isGroup,
      Timeline timeline,
      SlaReportQuery period,
      Instant now) {
    // a target's terms are its group's: the same resolution as GET /sla
    Objectives.Applied applied = config.objectives().termsFor(isGroup ? id : group).orElse(null);
    Sla.Report r =
        Sla.compute(
            timeline == null ? Timeline.EMPTY : timeline,
            period.from(),
            period.to(),
            now,
            applied == null ? null : applied.terms());
    return new Row(id, name, group, isGroup, r, applied == null ? null : applied.source());
  }
}
