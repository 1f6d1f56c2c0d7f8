package io.quorate.api;

import io.quorate.api.StatusModel.Board;
import io.quorate.api.StatusModel.Box;
import io.quorate.api.StatusModel.Dot;
import io.quorate.api.StatusModel.Incident;
import io.quorate.api.StatusModel.Member;
import io.quorate.api.StatusModel.Notice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * The status document ({@code GET /api/v1/status}, {@code GET /status.json}). A public board has no
 * regions, votes or ids to render, and the {@code regions}/{@code quorate} keys are left out.
 */
public final class StatusJson {
  private StatusJson() {}

  /** The whole document. */
  public static JsonObject board(Board b) {
    JsonArray groups = new JsonArray();
    b.boxes().forEach(x -> groups.add(box(x, b.generatedAt())));
    JsonArray preparing = new JsonArray();
    b.preparing().forEach(m -> preparing.add(member(m, b.generatedAt())));
    JsonArray incidents = new JsonArray();
    b.incidents().forEach(i -> incidents.add(incident(i, b.generatedAt())));
    JsonArray notices = new JsonArray();
    b.notices().forEach(n -> notices.add(notice(n)));
    JsonObject j =
        new JsonObject()
            .put("title", b.title())
            .put("public", b.publicMode())
            .put("generatedAt", JsonViews.time(b.generatedAt()))
            .put("state", b.state().name())
            .put("uptimeDays", StatusBars.DAYS)
            .put("groups", groups)
            .put("preparing", preparing)
            .put("incidents", incidents)
            .put("maintenance", notices);
    if (!b.publicMode()) {
      j.put("quorate", b.quorate()).put("regions", dots(b.regions()));
    }
    return j;
  }

  private static JsonObject box(Box b, Instant now) {
    JsonArray members = new JsonArray();
    b.members().forEach(m -> members.add(member(m, now)));
    return new JsonObject()
        .put("key", b.key())
        .put("name", b.name())
        .put("description", b.description())
        .put("state", b.state().name())
        .put("uptime", bars(b.bars()))
        .put("members", members);
  }

  private static JsonObject member(Member m, Instant now) {
    JsonObject j =
        new JsonObject()
            .put("key", m.key())
            .put("name", m.name())
            .put("group", m.group())
            .put("state", m.state().name())
            .put("since", JsonViews.time(m.since()))
            .put("forMs", forMs(m.since(), now))
            .put("preparing", m.preparing())
            .put(
                "maintenance",
                m.maintenance() == null
                    ? null
                    : new JsonObject()
                        .put("title", m.maintenance())
                        .put("until", JsonViews.time(m.maintenanceUntil())))
            .put("uptime", bars(m.bars()));
    if (!m.regions().isEmpty()) {
      j.put("regions", dots(m.regions()));
    }
    return j;
  }

  private static JsonObject incident(Incident i, Instant now) {
    return new JsonObject()
        .put("kind", i.kind())
        .put("key", i.key())
        .put("name", i.name())
        .put("state", i.state().name())
        .put("since", JsonViews.time(i.since()))
        .put("forMs", forMs(i.since(), now));
  }

  private static JsonObject notice(Notice n) {
    JsonObject j = new JsonObject();
    if (n.id() != null) {
      j.put("id", n.id());
    }
    return j.put("title", n.title())
        .put("description", n.description())
        .put("start", JsonViews.time(n.start()))
        .put("end", JsonViews.time(n.end()))
        .put("active", n.active())
        .put("affects", new JsonArray(n.affects()));
  }

  private static JsonArray dots(java.util.List<Dot> dots) {
    JsonArray a = new JsonArray();
    dots.forEach(
        d -> a.add(new JsonObject().put("region", d.name()).put("state", d.state().name())));
    return a;
  }

  /** {@code null} while the bars are not computed yet. */
  static JsonObject bars(StatusBars.Bars b) {
    if (b == null) {
      return null;
    }
    JsonArray percent = new JsonArray();
    JsonArray down = new JsonArray();
    JsonArray maintenance = new JsonArray();
    for (StatusBars.Day d : b.days()) {
      percent.add(d.uptimePercent());
      down.add(d.downMs());
      maintenance.add(d.maintenanceMs());
    }
    return new JsonObject()
        .put("from", b.days().get(0).date().toString())
        .put("periodPercent", b.periodPercent())
        .put("percent", percent)
        .put("downMs", down)
        .put("maintenanceMs", maintenance);
  }

  private static Long forMs(Instant since, Instant now) {
    return since == null ? null : Math.max(0, Duration.between(since, now).toMillis());
  }
}
