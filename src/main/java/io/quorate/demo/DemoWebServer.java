package io.quorate.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo web member: plain HTTP on {@code host:port} with {@code GET /health} → 200 {@code ok}
 * and {@code GET /} → a small page naming the member; other paths are 404, other methods 405. Every
 * response carries {@code Server: quorate-demo} and {@code X-Demo-Member: <id>}.
 *
 * <p>{@link #start()} and {@link #stop()} may be called any number of times, from any thread, in
 * any order; they run one after the other. Stop closes the listener and every open connection
 * (keep-alive ones too), so a stopped member refuses connections at once.
 */
public final class DemoWebServer {
  private static final Logger LOG = LoggerFactory.getLogger(DemoWebServer.class);

  /** The {@code Server} header of every response. */
  public static final String SERVER_HEADER = "quorate-demo";

  /** Connections idle this long are closed (seconds, as Vert.x counts). */
  static final int IDLE_TIMEOUT_S = 30;

  private final Vertx vertx;
  private final String id;
  private final String host;
  private final int port;
  private final Lifecycle lifecycle = new Lifecycle();
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile HttpServer server;
  private volatile boolean running;

  public DemoWebServer(Vertx vertx, String id, String host, int port) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.id = Objects.requireNonNull(id, "id");
    this.host = Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
  }

  public String id() {
    return id;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** True between a successful start and the next stop. */
  public boolean running() {
    return running;
  }

  /** Listens on {@code host:port}; succeeds at once if already running. */
  public Future<Void> start() {
    return lifecycle.then(
        () -> {
          if (running) {
            return Future.succeededFuture();
          }
          HttpServer s = vertx.createHttpServer(options());
          s.connectionHandler(this::track).requestHandler(this::handle);
          return s.listen()
              .onSuccess(
                  bound -> {
                    server = bound;
                    running = true;
                    LOG.info("demo-web member={} event=started address={}:{}", id, host, port);
                  })
              .mapEmpty();
        });
  }

  /**
   * Closes the listener and every open connection; completes once {@code host:port} refuses
   * connections. Succeeds at once if not running.
   */
  public Future<Void> stop() {
    return lifecycle.then(
        () -> {
          if (!running) {
            return Future.succeededFuture();
          }
          running = false;
          List<Future<Void>> closing = new ArrayList<>();
          closing.add(server.close().otherwiseEmpty());
          server = null;
          for (HttpConnection c : connections) {
            closing.add(c.close().otherwiseEmpty());
          }
          connections.clear();
          return Future.join(closing)
              .compose(v -> ListenCheck.refused(vertx, host, port))
              .onSuccess(v -> LOG.info("demo-web member={} event=stopped", id));
        });
  }

  private HttpServerOptions options() {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setIdleTimeout(IDLE_TIMEOUT_S)
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(8192)
        .setMaxFormAttributeSize(0);
  }

  private void track(HttpConnection c) {
    connections.add(c);
    c.closeHandler(v -> connections.remove(c));
  }

  private void handle(HttpServerRequest req) {
    req.response()
        .putHeader("Server", SERVER_HEADER)
        .putHeader("X-Demo-Member", id)
        .putHeader("Cache-Control", "no-store");
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().putHeader("Allow", "GET, HEAD");
      reply(req, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    switch (req.path()) {
      case "/health" -> reply(req, 200, "text/plain; charset=utf-8", "ok");
      case "/" -> reply(req, 200, "text/html; charset=utf-8", page());
      default -> reply(req, 404, "text/plain; charset=utf-8", "not found\n");
    }
  }

  private static void reply(HttpServerRequest req, int status, String type, String body) {
    req.response().setStatusCode(status).putHeader("Content-Type", type).end(body);
  }

  private String page() {
    String who = html(id) + " (" + html(host) + ":" + port + ")";
    return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>"
        + html(id)
        + " - Quorate demo</title></head>\n<body><h1>"
        + html(id)
        + "</h1><p>This is demo web member "
        + who
        + ", served by the Quorate demo fleet.</p></body></html>\n";
  }

  private static String html(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
