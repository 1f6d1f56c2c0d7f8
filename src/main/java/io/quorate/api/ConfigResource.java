package io.quorate.api;

import io.quorate.agent.ConfigReloads;
import io.quorate.agent.ReloadReport;
import io.quorate.config.RegionConfig.Scope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /config} (ADR 0017): {@code GET} shows the running shared-config hash, when it was loaded
 * and the last reload's outcome (read scope); {@code POST /reload} reads the agent's files again
 * and applies them live (operate scope). A refused reload changes nothing and answers an RFC 9457
 * problem whose {@code errors} lists every error with its file and YAML path: 422 {@code
 * config-invalid} or {@code config-needs-restart}; 409 while another reload runs.
 */
public final class ConfigResource {
  private final Vertx vertx;
  private final BearerAuth auth;
  private final Supplier<JsonObject> view;
  private final Function<String, Future<ReloadReport>> reload;

  /**
   * @param view the running config's summary
   * @param reload re-reads and applies the files; its argument names who asked
   */
  public ConfigResource(
      Vertx vertx,
      BearerAuth auth,
      Supplier<JsonObject> view,
      Function<String, Future<ReloadReport>> reload) {
    this.vertx = vertx;
    this.auth = auth;
    this.view = view;
    this.reload = reload;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(ctx -> Responses.json(ctx, view.get()));
    r.post("/reload").handler(auth.require(Scope.OPERATE)).handler(this::reload);
    return r;
  }

  private void reload(RoutingContext ctx) {
    String who = "token:" + ctx.get(BearerAuth.PRINCIPAL_KEY);
    reload
        .apply(who)
        .onSuccess(report -> Responses.json(ctx, report.toJson()))
        .onFailure(e -> ctx.fail(problem(e)));
  }

  static Throwable problem(Throwable e) {
    String type = ConfigReloads.problemType(e);
    if (e instanceof ConfigReloads.Refused r) {
      String title = r.needsRestart() ? "Configuration Needs A Restart" : "Invalid Configuration";
      return new Problem(
          422,
          type,
          title,
          r.getMessage() + "; nothing was changed (" + r.errors().size() + " errors)",
          new JsonObject().put("errors", ConfigReloads.errors(r.errors())));
    }
    if (e instanceof ConfigReloads.Busy) {
      return new Problem(409, type, "Conflict", e.getMessage());
    }
    if (e instanceof ConfigReloads.Stopping) {
      return new Problem(503, type, "Service Unavailable", e.getMessage());
    }
    if (e instanceof ConfigReloads.NoFiles) {
      return new Problem(409, type, "Conflict", e.getMessage());
    }
    return e;
  }
}
