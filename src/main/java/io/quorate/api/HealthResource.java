package io.quorate.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process serves requests) and {@code /readyz} (config loaded, scheduler
 * running).
 */
public final class HealthResource {
  private final Vertx vertx;
  private final BooleanSupplier ready;

  public HealthResource(Vertx vertx, BooleanSupplier ready) {
    this.vertx = vertx;
    this.ready = ready;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/healthz").handler(this::healthz);
    r.get("/readyz").handler(this::readyz);
    return r;
  }

  private void healthz(RoutingContext ctx) {
    Responses.json(ctx, new JsonObject().put("status", "ok"));
  }

  private void readyz(RoutingContext ctx) {
    boolean ok = ready.getAsBoolean();
    ctx.response().setStatusCode(ok ? 200 : 503);
    Responses.json(ctx, new JsonObject().put("status", ok ? "ready" : "starting"));
  }
}
