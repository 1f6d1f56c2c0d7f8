package io.quorate.api;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /events}: a Server-Sent Events stream of verdict and region changes. Events are
 * published on the local event bus at {@link #ADDRESS} as {@code {"event": name, "data": {…}}};
 * each connection subscribes and unsubscribes when it closes. A client that cannot keep up (write
 * queue full) is disconnected rather than buffered without bound; it can reconnect and re-read the
 * current state from {@code /verdicts}.
 */
public final class EventsResource {
  public static final String ADDRESS = "quorate.events";

  /** A comment line this often keeps proxies from closing an idle stream. */
  static final long KEEPALIVE_MS = 15_000;

  private final Vertx vertx;
  private final AtomicLong ids = new AtomicLong();

  public EventsResource(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Publishes an event to every open stream. */
  public static void publish(Vertx vertx, String event, JsonObject data) {
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("event", event).put("data", data));
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::stream);
    return r;
  }

  private void stream(RoutingContext ctx) {
    HttpServerResponse res = ctx.response();
    res.setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    res.write(": quorate events\n\n");
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                ADDRESS,
                msg -> {
                  if (res.writeQueueFull()) {
                    res.reset();
                    return;
                  }
                  JsonObject e = msg.body();
                  res.write(
                      "id: "
                          + ids.incrementAndGet()
                          + "\nevent: "
                          + e.getString("event")
                          + "\ndata: "
                          + e.getJsonObject("data").encode()
                          + "\n\n");
                });
    long keepalive = vertx.setPeriodic(KEEPALIVE_MS, id -> res.write(": keepalive\n\n"));
    res.closeHandler(
        v -> {
          consumer.unregister();
          vertx.cancelTimer(keepalive);
        });
  }
}
