package io.quorate.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.config.RegionConfig.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Assembles the agent's HTTP surface: health (no auth), {@code /metrics} (no auth, like every
 * Prometheus exporter), and {@code /api/v1/*} behind bearer tokens. Each resource is a sub-router
 * at its own mount point; errors from anywhere are rendered by one {@link ProblemHandler}.
 */
public final class ApiRouter {
  /** Request bodies above this are refused with 413 before any handler sees them. */
  public static final long BODY_LIMIT_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final BearerAuth auth;
  private final HealthResource health;
  private final PrometheusMeterRegistry registry;
  private final Map<String, Router> readResources = new LinkedHashMap<>();
  private Router mesh;
  private Router page;
  private Router heartbeats;

  public ApiRouter(
      Vertx vertx, BearerAuth auth, HealthResource health, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.auth = auth;
    this.health = health;
    this.registry = registry;
  }

  /** Mounts {@code resource} at {@code /api/v1/<name>}, readable with the {@code read} scope. */
  public ApiRouter read(String name, Router resource) {
    readResources.put(name, resource);
    return this;
  }

  /**
   * Mounts the mesh router at {@code /api/v1/mesh}: authenticated by HMAC signatures (not bearer
   * tokens) and with its own 1 MiB body limit, so it is mounted before the global body handler.
   */
  public ApiRouter mesh(Router meshRouter) {
    this.mesh = meshRouter;
    return this;
  }

  /**
   * Mounts the heartbeat pings at {@code /api/v1/heartbeats}: authenticated by each target's own
   * token (not the API tokens), so outside the read-scope check.
   */
  public ApiRouter heartbeats(Router pings) {
    this.heartbeats = pings;
    return this;
  }

  /** Mounts the status page router (it serves exactly {@code GET /}). */
  public ApiRouter page(Router statusPage) {
    this.page = statusPage;
    return this;
  }

  public Router build() {
    Router root = Router.router(vertx);
    // RFC 9110 §9.3.2: HEAD is GET without the body (Vert.x sends no body for a HEAD request)
    root.route()
        .method(HttpMethod.HEAD)
        .handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
    if (mesh != null) {
      root.route("/api/v1/mesh/*").subRouter(mesh);
    }
    root.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES));
    root.route("/*").subRouter(health.router());
    if (page != null) {
      root.route("/*").subRouter(page);
    }
    if (registry != null) {
      // on a worker, one scrape at a time, streamed (see MetricsScrape)
      root.get("/metrics").blockingHandler(new MetricsScrape(registry), true);
    }
    root.get("/api/v1/openapi.json")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(OpenApi.document()));
    if (heartbeats != null) {
      root.route("/api/v1/heartbeats/*").subRouter(heartbeats);
    }
    readResources.forEach(
        (name, r) -> {
          root.route("/api/v1/" + name + "*").handler(auth.require(Scope.READ));
          root.route("/api/v1/" + name + "*").subRouter(r);
        });
    ProblemHandler problems = new ProblemHandler();
    root.route().failureHandler(problems);
    root.errorHandler(404, problems);
    root.errorHandler(405, problems);
    return root;
  }
}
