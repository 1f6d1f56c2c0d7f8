package io.quorate.api;

import io.quorate.config.RegionConfig.Scope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.NoSuchElementException;

/**
 * {@code /demo} (only in {@code quorate demo}): the sample fleet and the mesh links, and the levers
 * that break them — stop and start a sample server, isolate a region from the mesh and heal it. The
 * levers need the {@code operate} scope.
 */
public final class DemoResource {

  /** What the demo lets an operator break. */
  public interface Control {
    /** Members (id, kind, address, running) and regions (id, isolated). */
    Future<JsonObject> state();

    /**
     * Stops or starts a sample server; completes once it is really down or up.
     *
     * @throws NoSuchElementException (as the failure) when there is no such member
     */
    Future<JsonObject> member(String id, boolean run);

    /** Cuts a region off the mesh, or heals it. */
    Future<JsonObject> region(String id, boolean isolate);
  }

  private final Vertx vertx;
  private final Control control;
  private final BearerAuth auth;

  public DemoResource(Vertx vertx, Control control, BearerAuth auth) {
    this.vertx = vertx;
    this.control = control;
    this.auth = auth;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(ctx -> reply(ctx, control.state()));
    r.post("/members/:id/stop")
        .handler(auth.require(Scope.OPERATE))
        .handler(ctx -> reply(ctx, control.member(ctx.pathParam("id"), false)));
    r.post("/members/:id/start")
        .handler(auth.require(Scope.OPERATE))
        .handler(ctx -> reply(ctx, control.member(ctx.pathParam("id"), true)));
    r.post("/regions/:id/isolate")
        .handler(auth.require(Scope.OPERATE))
        .handler(ctx -> reply(ctx, control.region(ctx.pathParam("id"), true)));
    r.post("/regions/:id/heal")
        .handler(auth.require(Scope.OPERATE))
        .handler(ctx -> reply(ctx, control.region(ctx.pathParam("id"), false)));
    return r;
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> result) {
    result
        .onSuccess(body -> Responses.json(ctx, body))
        .onFailure(
            err -> {
              if (err instanceof NoSuchElementException) {
                ctx.fail(Problem.notFound(Responses.clip(String.valueOf(err.getMessage()))));
              } else {
                ctx.fail(err);
              }
            });
  }
}
