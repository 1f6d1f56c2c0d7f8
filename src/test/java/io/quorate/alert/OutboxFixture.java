package io.quorate.alert;

import io.quorate.store.Database;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real SQLite outbox in a temp dir, a Vert.x instance and a clock that moves when told. */
final class OutboxFixture implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final MutableClock clock = MutableClock.start();
  final Database db;
  final Outbox outbox;

  OutboxFixture(Path dir) throws Exception {
    this(dir, OutboxLimits.DEFAULT);
  }

  OutboxFixture(Path dir, OutboxLimits limits) throws Exception {
    db = await(Database.open(vertx, dir));
    outbox = new Outbox(db, clock, limits);
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 10 s", e);
    }
  }

  static AlertEvent event(String id) {
    return new AlertEvent(
        id,
        "verdict.down",
        AlertEvent.Severity.CRITICAL,
        "web-1",
        "web",
        "web-1 is DOWN in 2 of 3 regions",
        Map.of("votes", "2/3"),
        Instant.parse("2026-11-22T00:00:00Z"),
        "eu-west",
        "target:web-1",
        false);
  }

  /** The event's deliveries, by channel. */
  List<Delivery> deliveries(String eventId) throws Exception {
    OutboxEvent e = await(outbox.find(eventId));
    return e == null ? List.of() : e.deliveries();
  }

  Delivery delivery(String eventId, String channel) throws Exception {
    return deliveries(eventId).stream()
        .filter(d -> d.channelId().equals(channel))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no delivery " + eventId + "/" + channel));
  }

  @Override
  public void close() throws Exception {
    try {
      await(db.close());
    } finally {
      await(vertx.close());
    }
  }
}
