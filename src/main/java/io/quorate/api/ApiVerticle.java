package io.quorate.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the router on the region's listen address; a failed listen fails deployment. */
public final class ApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);

  private final String host;
  private final int port;
  private final Supplier<Router> router;
  private HttpServer server;

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
    return server
        .requestHandler(router.get())
        .listen()
        .onSuccess(s -> LOG.info("api listening host={} port={}", host, s.actualPort()));
  }

  /** The bound port (useful when configured as 0 in tests). */
  public int actualPort() {
    return server.actualPort();
  }
}
