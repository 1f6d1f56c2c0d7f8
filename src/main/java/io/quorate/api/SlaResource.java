package io.quorate.api;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.store.Sla;
import io.quorate.store.StoreException;
import io.quorate.store.Timeline;
import io.quorate.store.VerdictHistory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /sla?target=|group=&from=&to=} or {@code &month=2026-11} (UTC): uptime, downtime,
 * unknown time and incidents from the verdict history (ADR 0013), with an optional {@code
 * objective=99.9} contract whose credit is the downtime percentage. A group is DOWN only while all
 * its members are DOWN.
 */
public final class SlaResource {
  /** Longest window a report may cover. */
  public static final Duration MAX_RANGE = Duration.ofDays(800);

  private final Vertx vertx;
  private final VerdictHistory history;
  private final QuorateConfig config;
  private final Clock clock;

  /**
   * {@code auth} is not used per route: {@link ApiRouter#read} puts the resource behind the {@code
   * read} scope.
   */
  public SlaResource(
      Vertx vertx, VerdictHistory history, QuorateConfig config, BearerAuth auth, Clock clock) {
    this.vertx = vertx;
    this.history = history;
    this.config = config;
    this.clock = clock;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::report);
    return r;
  }

  private void report(RoutingContext ctx) {
    SlaQuery q = SlaQuery.parse(ctx.request().params());
    List<String> members = members(q);
    Future.all(members.stream().map(id -> history.timeline(id, q.from(), q.to())).toList())
        .recover(SlaResource::tooBusy)
        .map(all -> timeline(q, all.list()))
        .map(t -> Sla.compute(t, q.from(), q.to(), clock.instant(), q.terms()))
        .map(report -> view(q, members, report))
        .onSuccess(body -> Responses.json(ctx, body))
        .onFailure(ctx::fail);
  }

  /** A window with more transitions than one report reads is the client's to narrow. */
  private static <T> Future<T> tooBusy(Throwable err) {
    if (err instanceof StoreException e && e.kind() == StoreException.Kind.FULL) {
      return Future.failedFuture(Problem.badRequest(e.getMessage()));
    }
    return Future.failedFuture(err);
  }

  private List<String> members(SlaQuery q) {
    if (q.target() != null) {
      if (config.target(q.target()).isEmpty()) {
        throw Problem.notFound("no target with id '" + Responses.clip(q.target()) + "'");
      }
      return List.of(q.target());
    }
    if (config.groups().stream().noneMatch(g -> g.id().equals(q.group()))) {
      throw Problem.notFound("no group with id '" + Responses.clip(q.group()) + "'");
    }
    return config.targets().stream()
        .filter(t -> q.group().equals(t.group()))
        .map(Target::id)
        .toList();
  }

  private static Timeline timeline(SlaQuery q, List<Timeline> all) {
    return q.target() != null ? all.get(0) : Timeline.group(all);
  }

  static JsonObject view(SlaQuery q, List<String> members, Sla.Report r) {
    JsonArray incidents = new JsonArray();
    for (Sla.Incident i : r.incidents()) {
      incidents.add(
          new JsonObject()
              .put("start", JsonViews.time(i.start()))
              .put("end", JsonViews.time(i.end()))
              .put("durationMs", i.downMs())
              .put("startedBefore", i.startedBefore())
              .put("open", i.open()));
    }
    JsonObject j =
        new JsonObject()
            .put("target", q.target())
            .put("group", q.group())
            .put("month", q.month())
            .put("from", JsonViews.time(r.from()))
            .put("to", JsonViews.time(r.to()))
            .put("evaluatedUntil", JsonViews.time(r.evaluatedUntil()))
            .put("uptimePercent", round(r.uptimePercent()))
            .put("upMs", r.upMs())
            .put("degradedMs", r.degradedMs())
            .put("downMs", r.downMs())
            .put("unknownMs", r.unknownMs())
            .put("downtimeMinutes", minutes(r.downMs()))
            .put("degradedMinutes", minutes(r.degradedMs()))
            .put("unknownMinutes", minutes(r.unknownMs()))
            .put("incidentCount", r.incidentCount())
            .put("incidents", incidents);
    if (q.group() != null) {
      j.put("members", new JsonArray(new ArrayList<>(members)))
          .put("groupRule", "down only while every member is down");
    }
    if (r.terms() != null) {
      j.put(
          "contract",
          new JsonObject()
              .put("objectivePercent", r.terms().objectivePercent())
              .put("met", r.met())
              .put("creditPercent", round(r.creditPercent())));
    }
    return j;
  }

  private static double minutes(long ms) {
    return Math.round(ms / 60.0) / 1000.0;
  }

  private static Double round(Double d) {
    return d == null ? null : Math.round(d * 1_000_000) / 1_000_000.0;
  }

  /** {@code [from, to)} is within {@link #MAX_RANGE}. */
  static boolean withinRange(Instant from, Instant to) {
    return Duration.between(from, to).compareTo(MAX_RANGE) <= 0;
  }
}
