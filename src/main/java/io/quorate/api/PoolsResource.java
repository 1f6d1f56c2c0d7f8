package io.quorate.api;

import io.quorate.config.Pool;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.failover.FailoverExecutor;
import io.quorate.failover.PoolView;
import io.quorate.failover.RRset;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /pools}: desired vs actual RRsets, rails and last changes (read), and the operator's
 * levers — pause, resume, reconcile, release (manual fail-back), drain and undrain a member — which
 * need the {@code operate} scope and are audited.
 */
public final class PoolsResource {
  private final Vertx vertx;
  private final FailoverExecutor failover;
  private final BearerAuth auth;

  public PoolsResource(Vertx vertx, FailoverExecutor failover, BearerAuth auth) {
    this.vertx = vertx;
    this.failover = failover;
    this.auth = auth;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    r.get("/:id").handler(this::one);
    for (String action : new String[] {"pause", "resume", "reconcile", "release"}) {
      r.post("/:id/" + action).handler(auth.require(Scope.OPERATE)).handler(c -> act(c, action));
    }
    for (String action : new String[] {"drain", "undrain"}) {
      r.post("/:id/members/:member/" + action)
          .handler(auth.require(Scope.OPERATE))
          .handler(c -> act(c, action));
    }
    return r;
  }

  private void list(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    failover.views().forEach(v -> items.add(view(v)));
    Responses.json(ctx, new JsonObject().put("pools", items));
  }

  private void one(RoutingContext ctx) {
    Responses.json(ctx, view(find(ctx.pathParam("id"))));
  }

  private PoolView find(String id) {
    PoolView v = failover.view(id);
    if (v == null) {
      throw Problem.notFound("no pool with id '" + Responses.clip(id) + "'");
    }
    return v;
  }

  private void act(RoutingContext ctx, String action) {
    PoolView v = find(ctx.pathParam("id"));
    String member = ctx.pathParam("member");
    if (member != null && v.pool().members().stream().noneMatch(m -> m.id().equals(member))) {
      throw Problem.notFound(
          "pool '" + v.pool().id() + "' has no member '" + Responses.clip(member) + "'");
    }
    String who = "token:" + ctx.get(BearerAuth.PRINCIPAL_KEY);
    failover
        .operate(v.pool().id(), action, member, who)
        .onSuccess(after -> Responses.json(ctx, view(after)))
        .onFailure(ctx::fail);
  }

  static JsonObject view(PoolView v) {
    Pool p = v.pool();
    JsonArray members = new JsonArray();
    for (Pool.Member m : p.members()) {
      members.add(
          new JsonObject()
              .put("id", m.id())
              .put("value", m.value())
              .put("target", m.target())
              .put("role", m.role().wireName())
              .put("drained", v.drained().contains(m.id()))
              .put(
                  "published",
                  v.actual() != null && v.actual().values().contains(norm(m.value()))));
    }
    return new JsonObject()
        .put("id", p.id())
        .put("zone", p.zone())
        .put("name", p.name())
        .put("type", p.type())
        .put("ttl", p.ttl())
        .put("members", members)
        .put("actual", rrset(v.actual()))
        .put("desired", rrset(v.desired()))
        .put("decision", v.decision() == null ? null : v.decision().name())
        .put("blockedBy", v.blockedBy())
        .put("reasons", new JsonArray(v.reasons()))
        .put("paused", v.paused())
        .put("frozen", v.frozen())
        .put("pinned", v.pinned())
        .put("lastChangeAt", JsonViews.time(v.lastChangeAt()))
        .put("lastChange", v.lastChange())
        .put("propagation", new JsonObject(new java.util.TreeMap<>(v.propagation())))
        .put("propagated", v.propagated())
        .put("lastError", v.lastError())
        .put(
            "rails",
            new JsonObject()
                .put("minMembers", p.minMembers())
                .put("maxChangesPerWindow", p.maxChangesPerWindow())
                .put("windowMs", p.windowMs())
                .put("holdDownMs", p.holdDownMs())
                .put("flapChanges", p.flapChanges())
                .put("flapWindowMs", p.flapWindowMs())
                .put("failback", p.failback().wireName())
                .put("degradedIsUp", p.degradedIsUp())
                .put("dryRun", p.dryRun()))
        .put("updatedAt", JsonViews.time(v.updatedAt()));
  }

  private static String norm(String value) {
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  private static JsonObject rrset(RRset r) {
    if (r == null) {
      return null;
    }
    return new JsonObject()
        .put("ttl", r.ttl())
        .put("values", new JsonArray(new java.util.ArrayList<>(r.values())));
  }
}
