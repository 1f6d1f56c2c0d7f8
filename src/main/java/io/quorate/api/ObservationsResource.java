package io.quorate.api;

import io.quorate.quorum.LocalStates;
import io.quorate.quorum.Observation;
import io.quorate.store.FailedObservations;
import io.quorate.store.RecentObservations;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /observations?target=&limit=}: recent results, newest first, bounded in memory; {@code
 * GET /observations/history?target=&from=&to=&limit=}: this agent's stored failing (non-UP)
 * observations of one target, newest first (ADR 0015).
 */
public final class ObservationsResource {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  /** Default window of a history query without {@code from}. */
  static final Duration DEFAULT_HISTORY = Duration.ofDays(1);

  /** Longest history window. */
  static final Duration MAX_HISTORY = Duration.ofDays(800);

  private final Vertx vertx;
  private final LocalStates states;
  private final RecentObservations recent;
  private final Supplier<FailedObservations> failed;
  private final Clock clock;

  public ObservationsResource(Vertx vertx, LocalStates states, RecentObservations recent) {
    this(vertx, states, recent, () -> null, Clock.systemUTC());
  }

  /**
   * With the stored failing observations ({@code null} from the supplier until the store opens).
   */
  public ObservationsResource(
      Vertx vertx,
      LocalStates states,
      RecentObservations recent,
      Supplier<FailedObservations> failed,
      Clock clock) {
    this.vertx = vertx;
    this.states = states;
    this.recent = recent;
    this.failed = failed;
    this.clock = clock;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    r.get("/history").handler(this::history);
    return r;
  }

  private void history(RoutingContext ctx) {
    MultiMap params = ctx.request().params();
    String target = params.get("target");
    if (target == null) {
      throw Problem.badRequest("query parameter 'target' is required");
    }
    int limit = Responses.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    Instant to = TimeParams.instant(params, "to", clock.instant());
    Instant from = TimeParams.instant(params, "from", to.minus(DEFAULT_HISTORY));
    TimeParams.check(from, to, MAX_HISTORY, MAX_HISTORY.toDays() + " days");
    if (states.get(target).isEmpty()) {
      throw Problem.notFound("no target with id '" + Responses.clip(target) + "'");
    }
    FailedObservations store = failed.get();
    if (store == null) {
      throw new Problem(503, "unavailable", "Service Unavailable", "the store is not open yet");
    }
    store
        .between(target, from, to, limit)
        .map(rows -> historyView(target, from, to, rows))
        .onSuccess(body -> Responses.json(ctx, body))
        .onFailure(ctx::fail);
  }

  private static JsonObject historyView(
      String target, Instant from, Instant to, List<FailedObservations.Row> rows) {
    JsonArray items = new JsonArray();
    for (FailedObservations.Row r : rows) {
      items.add(
          new JsonObject()
              .put("id", r.id())
              .put("targetId", r.target())
              .put("region", r.region())
              .put("startedAt", JsonViews.time(r.at()))
              .put("outcome", r.outcome().name())
              .put("errorKind", r.errorKind().wireName())
              .put("detail", r.detail())
              .put("durationMs", r.durationMs()));
    }
    return new JsonObject()
        .put("target", target)
        .put("from", JsonViews.time(from))
        .put("to", JsonViews.time(to))
        .put("observations", items);
  }

  private void list(RoutingContext ctx) {
    String target = ctx.request().getParam("target");
    int limit = Responses.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    if (target != null && states.get(target).isEmpty()) {
      throw Problem.notFound("no target with id '" + Responses.clip(target) + "'");
    }
    JsonArray items = new JsonArray();
    for (Observation o : recent.recent(target, limit)) {
      items.add(JsonViews.observation(o));
    }
    Responses.json(ctx, new JsonObject().put("observations", items));
  }
}
