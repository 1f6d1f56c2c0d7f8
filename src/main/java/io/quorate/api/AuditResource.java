package io.quorate.api;

import io.quorate.store.AuditLog;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /audit?pool=&limit=}: every decision, write and operator action, newest first, from
 * memory; with {@code from} (and optionally {@code to}) from the durable log in the store (ADR
 * 0015), so entries from before a restart are listed too.
 */
public final class AuditResource {
  /** The open end of a {@code from}-only query. */
  static final Instant FAR_FUTURE = Instant.ofEpochMilli(Long.MAX_VALUE);

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
    MultiMap params = ctx.request().params();
    String pool = params.get("pool");
    if (params.get("from") == null) {
      if (params.get("to") != null) {
        throw Problem.badRequest("query parameter 'to' needs 'from'");
      }
      Responses.json(ctx, view(audit.recent(pool, limit)));
      return;
    }
    Instant from = TimeParams.instant(params, "from", null);
    Instant to = TimeParams.instant(params, "to", FAR_FUTURE);
    if (!from.isBefore(to)) {
      throw Problem.badRequest("'from' must be before 'to'");
    }
    audit
        .between(pool, from, to, limit)
        .map(AuditResource::view)
        .onSuccess(body -> Responses.json(ctx, body))
        .onFailure(ctx::fail);
  }

  private static JsonObject view(List<AuditLog.Entry> entries) {
    JsonArray items = new JsonArray();
    for (AuditLog.Entry e : entries) {
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
    return new JsonObject().put("entries", items);
  }
}
