package io.quorate.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the router on the region's listen address; a failed listen fails deployment. The router
 * can be replaced while serving ({@link #reroute}, a live config reload): each request is routed by
 * the router current when it arrived.
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);

  private final String host;
  private final int port;
  private final Supplier<Router> router;
  private HttpServer server;
  private volatile Router current;

  public ApiVerticle(String host, int port, Supplier<Router> router) {
    this.host = host;
    this.port = port;
    this.router = router;
  }

  @Override
  public Future<?> start() {
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxHeaderSize(16 * 1024)
                .setMaxInitialLineLength(8 * 1024)
                .setIdleTimeout(60));
    current = router.get();
    return server
        .invalidRequestHandler(ApiVerticle::invalid)
        .requestHandler(
            req -> {
              if (!STANDARD_METHODS.contains(req.method())) {
                // refused before routing and before metrics see a new label value (RFC 9110 §9.1)
                problem(
                    req.response(),
                    501,
                    "not-implemented",
                    "Not Implemented",
                    "method not implemented",
                    req.path());
                return;
              }
              current.handle(req);
            })
        .listen()
        .onSuccess(s -> LOG.info("api listening host={} port={}", host, s.actualPort()));
  }

  /** Methods this server knows; anything else gets 501 before routing. */
  static final Set<HttpMethod> STANDARD_METHODS =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PUT,
          HttpMethod.DELETE,
          HttpMethod.PATCH,
          HttpMethod.OPTIONS);

  /** A request the HTTP codec could not parse: too long a line or headers, or garbage. */
  private static void invalid(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status = 400;
    String type = "bad-request";
    String title = "Bad Request";
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      type = "uri-too-long";
      title = "URI Too Long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      type = "header-fields-too-large";
      title = "Request Header Fields Too Large";
    }
    problem(
        req.response().putHeader("Connection", "close"),
        status,
        type,
        title,
        "the request could not be parsed",
        null);
  }

  private static void problem(
      HttpServerResponse res,
      int status,
      String type,
      String title,
      String detail,
      String instance) {
    res.setStatusCode(status)
        .putHeader("Content-Type", "application/problem+json")
        .putHeader("Cache-Control", "no-store")
        .end(new Problem(status, type, title, detail).toJson(instance).encode());
  }

  /** Routes every request from now on with {@code next} (requests in progress keep theirs). */
  public void reroute(Router next) {
    current = next;
  }

  /** The bound port (useful when configured as 0 in tests). */
  public int actualPort() {
    return server.actualPort();
  }
}
