package io.quorate.api;

import io.quorate.store.AuditLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /audit?pool=&limit=}: every decision, write and operator action, newest first. */
public final class AuditResource {
  private final Vertx vertx;
  private final AuditLog audit;

  public AuditResource(Vertx vertx, AuditLog audit) {
    this.vertx = vertx;
    this.audit = audit;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    return r;
  }

  private void list(RoutingContext ctx) {
    int limit = Responses.intParam(ctx, "limit", 100, 1, 1000);
    JsonArray items = new JsonArray();
    for (AuditLog.Entry e : audit.recent(ctx.request().getParam("pool"), limit)) {
      items.add(
          new JsonObject()
              .put("id", e.id())
              .put("at", JsonViews.time(e.at()))
              .put("pool", e.pool())
              .put("action", e.action())
              .put("outcome", e.outcome())
              .put("actor", e.actor())
              .put("reasons", new JsonArray(e.reasons()))
              .put("details", new JsonObject(new java.util.TreeMap<>(e.details()))));
    }
    Responses.json(ctx, new JsonObject().put("entries", items));
  }
}
