package io.quorate.api;

import io.quorate.quorum.LocalStates;
import io.quorate.quorum.TargetStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /targets} and {@code GET /targets/{id}}: configuration, local state, latest result.
 */
public final class TargetsResource {
  private final Vertx vertx;
  private final String region;
  private final LocalStates states;

  public TargetsResource(Vertx vertx, String region, LocalStates states) {
    this.vertx = vertx;
    this.region = region;
    this.states = states;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    r.get("/:id").handler(this::one);
    return r;
  }

  private void list(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    for (TargetStatus s : states.all()) {
      items.add(JsonViews.target(s));
    }
    Responses.json(ctx, new JsonObject().put("region", region).put("targets", items));
  }

  private void one(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    TargetStatus s =
        states
            .get(id)
            .orElseThrow(() -> Problem.notFound("no target with id '" + Responses.clip(id) + "'"));
    Responses.json(ctx, JsonViews.target(s).put("region", region));
  }
}
