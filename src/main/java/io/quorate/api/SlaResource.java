package io.quorate.api;

import io.quorate.config.Objectives;
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
 * unknown and maintenance time and incidents from the verdict history (ADR 0013), judged by the
 * contract terms of the target's group or the group ({@code sla:} in the shared config; {@code
 * objective=99.9} overrides the objective). A group is DOWN only while all its members are DOWN
 * (docs/sla-slo.md).
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
    Contract terms = contract(q);
    Future.all(members.stream().map(id -> history.timeline(id, q.from(), q.to())).toList())
        .recover(SlaResource::tooBusy)
        .map(all -> timeline(q, all.list()))
        .map(t -> Sla.compute(t, q.from(), q.to(), clock.instant(), terms.terms()))
        .map(report -> view(q, members, report, terms))
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

  /**
   * The terms that apply and where each part came from: the group's own terms ({@code
   * sla.groups.<id>}; a target's group), else the default ({@code sla}); a request's {@code
   * objective} replaces the objective but keeps the credit rule.
   */
  record Contract(Sla.Terms terms, String objectiveFrom, String creditFrom) {}

  private Contract contract(SlaQuery q) {
    String group =
        q.group() != null ? q.group() : config.target(q.target()).map(Target::group).orElse(null);
    Objectives.Applied applied = config.objectives().termsFor(group).orElse(null);
    if (q.objective() == null) {
      return applied == null
          ? new Contract(null, null, null)
          : new Contract(applied.terms(), applied.source(), applied.source());
    }
    return applied == null
        ? new Contract(new Sla.Terms(q.objective()), "query", "default")
        : new Contract(applied.terms().withObjective(q.objective()), "query", applied.source());
  }

  private static Timeline timeline(SlaQuery q, List<Timeline> all) {
    return q.target() != null ? all.get(0) : Timeline.group(all);
  }

  static JsonObject view(SlaQuery q, List<String> members, Sla.Report r, Contract c) {
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
            .put("maintenanceMs", r.maintenanceMs())
            .put("downtimeMinutes", minutes(r.downMs()))
            .put("degradedMinutes", minutes(r.degradedMs()))
            .put("unknownMinutes", minutes(r.unknownMs()))
            .put("maintenanceMinutes", minutes(r.maintenanceMs()))
            .put("incidentCount", r.incidentCount())
            .put("incidents", incidents);
    if (q.group() != null) {
      j.put("members", new JsonArray(new ArrayList<>(members)))
          .put(
              "groupRule",
              "down only while every member is down; maintenance while every member is down or in maintenance");
    }
    if (r.terms() != null) {
      j.put("contract", contract(r, c));
    }
    return j;
  }

  private static JsonObject contract(Sla.Report r, Contract c) {
    Sla.Terms t = r.terms();
    JsonObject credit = new JsonObject().put("rule", t.credit().wireName());
    if (t.credit() instanceof Sla.Tiers tiers) {
      JsonArray list = new JsonArray();
      tiers.tiers().forEach(x -> list.add(tier(x)));
      credit.put("tiers", list);
    }
    credit.put("maxCreditPercent", t.maxCreditPercent()).put("from", c.creditFrom());
    return new JsonObject()
        .put("objectivePercent", t.objectivePercent())
        .put("objectiveFrom", c.objectiveFrom())
        .put("credit", credit)
        .put("met", r.met())
        .put("creditPercent", round(r.creditPercent()))
        .put("tier", r.tier() == null ? null : tier(r.tier()));
  }

  private static JsonObject tier(Sla.Tier t) {
    return new JsonObject()
        .put("belowPercent", t.belowPercent())
        .put("creditPercent", t.creditPercent());
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
