package io.quorate.api;

import io.quorate.alert.AlertEvent;
import io.quorate.alert.Delivery;
import io.quorate.alert.Outbox;
import io.quorate.alert.OutboxEvent;
import io.quorate.config.RegionConfig.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /alerts}: the outbox (ADR 0011) — recent events with the state of each delivery, the dead
 * letters, and {@code POST /alerts/{id}/replay} ({@code operate} scope) to try an event's dead
 * deliveries again.
 */
public final class AlertsResource {
  private static final Logger LOG = LoggerFactory.getLogger(AlertsResource.class);

  private final Vertx vertx;
  private final Outbox outbox;
  private final BearerAuth auth;

  public AlertsResource(Vertx vertx, Outbox outbox, BearerAuth auth) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.auth = auth;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::recent);
    r.get("/dead").handler(this::dead);
    r.post("/:id/replay").handler(auth.require(Scope.OPERATE)).handler(this::replay);
    return r;
  }

  private void recent(RoutingContext ctx) {
    int limit = Responses.intParam(ctx, "limit", 100, 1, 1000);
    outbox
        .recent(limit)
        .onSuccess(events -> Responses.json(ctx, new JsonObject().put("events", views(events))))
        .onFailure(ctx::fail);
  }

  private void dead(RoutingContext ctx) {
    int limit = Responses.intParam(ctx, "limit", 100, 1, 1000);
    outbox
        .dead(limit)
        .onSuccess(events -> Responses.json(ctx, new JsonObject().put("events", views(events))))
        .onFailure(ctx::fail);
  }

  private void replay(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String who = "token:" + ctx.get(BearerAuth.PRINCIPAL_KEY);
    outbox
        .replay(id)
        .compose(
            replay -> {
              if (!replay.found()) {
                throw Problem.notFound("no alert with id '" + Responses.clip(id) + "'");
              }
              if (replay.reopened() == 0) {
                throw new Problem(
                    409,
                    "conflict",
                    "Conflict",
                    "alert '" + Responses.clip(id) + "' has no dead or disabled deliveries");
              }
              LOG.info("alert replay event={} reopened={} by={}", id, replay.reopened(), who);
              return outbox.find(id).map(e -> view(e).put("reopened", replay.reopened()));
            })
        .onSuccess(body -> Responses.json(ctx, body))
        .onFailure(ctx::fail);
  }

  private static JsonArray views(List<OutboxEvent> events) {
    JsonArray out = new JsonArray();
    events.forEach(e -> out.add(view(e)));
    return out;
  }

  static JsonObject view(OutboxEvent oe) {
    AlertEvent e = oe.event();
    JsonArray deliveries = new JsonArray();
    oe.deliveries().forEach(d -> deliveries.add(delivery(d)));
    return new JsonObject()
        .put("id", e.id())
        .put("kind", e.kind())
        .put("severity", e.severity().wireName())
        .put("subject", e.subject())
        .put("group", e.group())
        .put("summary", e.summary())
        .put("details", new JsonObject(new TreeMap<String, Object>(e.details())))
        .put("occurredAt", JsonViews.time(e.occurredAt()))
        .put("region", e.region())
        .put("dedupKey", e.dedupKey())
        .put("resolution", e.resolution())
        .put("raisedAt", JsonViews.time(oe.raisedAt()))
        .put("deliveries", deliveries);
  }

  private static JsonObject delivery(Delivery d) {
    return new JsonObject()
        .put("channel", d.channelId())
        .put("state", d.state().wireName())
        .put("attempts", d.attempts())
        .put("lastStatus", d.lastStatus() < 0 ? null : d.lastStatus())
        .put("lastDetail", d.lastDetail())
        .put("lastAttemptAt", JsonViews.time(d.lastAttemptAt()))
        .put("nextAttemptAt", JsonViews.time(d.nextAttemptAt()))
        .put("closedAt", JsonViews.time(d.closedAt()))
        .put("closedBy", d.closedBy());
  }
}
