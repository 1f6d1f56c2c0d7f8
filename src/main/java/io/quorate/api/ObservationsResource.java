package io.quorate.api;

import io.quorate.quorum.LocalStates;
import io.quorate.quorum.Observation;
import io.quorate.store.RecentObservations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /observations?target=&limit=}: recent results, newest first, bounded in memory. */
public final class ObservationsResource {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  private final Vertx vertx;
  private final LocalStates states;
  private final RecentObservations recent;

  public ObservationsResource(Vertx vertx, LocalStates states, RecentObservations recent) {
    this.vertx = vertx;
    this.states = states;
    this.recent = recent;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    return r;
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
