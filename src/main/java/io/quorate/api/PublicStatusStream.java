package io.quorate.api;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /status/events} in public mode: a Server-Sent Events stream that says only that the
 * status changed ({@code event: changed}, empty data), so the public page re-reads the redacted
 * {@code /status.json} at once instead of within 30 s. It carries no state of its own, so it cannot
 * reveal more than {@code /status.json} does.
 *
 * <p>Unauthenticated, so bounded: at most {@link #MAX_STREAMS} open streams per agent (then 503
 * with {@code Retry-After}; the page falls back to polling), at most one event per {@link
 * #MIN_GAP_MS} per stream however many verdicts change, and a client that does not read (write
 * queue full) is disconnected.
 */
final class PublicStatusStream {
  /** Open public streams at most, per agent. */
  static final int MAX_STREAMS = 256;

  /** Events per stream at most one per this many milliseconds (a burst becomes one event). */
  static final long MIN_GAP_MS = 1_000;

  private final Vertx vertx;
  private final int maxStreams;
  private final AtomicInteger open = new AtomicInteger();

  PublicStatusStream(Vertx vertx) {
    this(vertx, MAX_STREAMS);
  }

  /** With another bound on open streams (tests). */
  PublicStatusStream(Vertx vertx, int maxStreams) {
    this.vertx = vertx;
    this.maxStreams = maxStreams;
  }

  /** Streams currently open (for tests and diagnostics). */
  int open() {
    return open.get();
  }

  void handle(RoutingContext ctx) {
    if (open.incrementAndGet() > maxStreams) {
      open.decrementAndGet();
      ctx.response().putHeader("Retry-After", "30");
      throw new Problem(
          503,
          "too-many-streams",
          "Service Unavailable",
          "too many open status streams (" + maxStreams + "); poll /status.json instead");
    }
    HttpServerResponse res = ctx.response();
    res.setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Accel-Buffering", "no");
    res.write("retry: 5000\n: quorate status\n\n");
    Pacer pacer = new Pacer(res);
    MessageConsumer<JsonObject> consumer =
        vertx.eventBus().consumer(EventsResource.ADDRESS, msg -> pacer.changed());
    long keepalive =
        vertx.setPeriodic(EventsResource.KEEPALIVE_MS, id -> res.write(": keepalive\n\n"));
    res.closeHandler(
        v -> {
          open.decrementAndGet();
          consumer.unregister();
          vertx.cancelTimer(keepalive);
          pacer.cancel();
        });
  }

  /** Sends {@code changed} at once, or once after the gap when one was sent less than it ago. */
  private final class Pacer {
    private final HttpServerResponse res;
    private long lastSentNanos = System.nanoTime() - MIN_GAP_MS * 1_000_000;
    private long timer = -1;

    Pacer(HttpServerResponse res) {
      this.res = res;
    }

    void changed() {
      if (timer >= 0) {
        return; // one is already due
      }
      long waitMs = MIN_GAP_MS - (System.nanoTime() - lastSentNanos) / 1_000_000;
      if (waitMs <= 0) {
        send();
      } else {
        timer =
            vertx.setTimer(
                waitMs,
                id -> {
                  timer = -1;
                  send();
                });
      }
    }

    private void send() {
      if (res.closed()) {
        return;
      }
      if (res.writeQueueFull()) {
        res.reset();
        return;
      }
      lastSentNanos = System.nanoTime();
      res.write("event: changed\ndata: {}\n\n");
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
