package io.quorate.alert;

import io.quorate.alert.Delivery.State;
import io.quorate.store.Database;
import io.quorate.store.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for {@link OutboxCrashTest}: opens the outbox at {@code args[0]}, raises the 100
 * events {@code evt_crash_0..99} for one webhook-like channel at {@code 127.0.0.1:args[1]} and
 * delivers them, printing {@code stored 100 added=N} once all are stored and a {@code status
 * pending=P delivered=D} line every 200 ms. It runs until it is killed.
 */
public final class OutboxCrashHarness {
  static final int EVENTS = 100;

  private OutboxCrashHarness() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    Database db = await(Database.openFile(vertx, file, Migrations.ALL));
    Outbox outbox = new Outbox(db, Clock.systemUTC());
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000));
    Dispatcher.Settings settings =
        new Dispatcher.Settings(
            100,
            64,
            4,
            5_000,
            3_600_000,
            new RetrySchedule(200, 1_000, 5_000, 600_000),
            Clock.systemUTC(),
            new Random());
    Dispatcher dispatcher =
        new Dispatcher(
            outbox, List.of(new PostSender(http, port)), SendPolicy.ALWAYS, e -> {}, settings);
    await(vertx.deployVerticle(dispatcher));
    int added = 0;
    for (int i = 0; i < EVENTS; i++) {
      added += await(dispatcher.raise(event(i), List.of("hook"))) ? 1 : 0;
    }
    System.out.println("stored " + EVENTS + " added=" + added);
    System.out.flush();
    vertx.setPeriodic(200, id -> outbox.recent(2 * EVENTS).onSuccess(OutboxCrashHarness::status));
  }

  private static void status(List<OutboxEvent> events) {
    long pending = count(events, State.PENDING);
    long delivered = count(events, State.DELIVERED);
    System.out.println("status pending=" + pending + " delivered=" + delivered);
    System.out.flush();
  }

  private static long count(List<OutboxEvent> events, State state) {
    return events.stream()
        .flatMap(e -> e.deliveries().stream())
        .filter(d -> d.state() == state)
        .count();
  }

  static AlertEvent event(int i) {
    return new AlertEvent(
        "evt_crash_" + i,
        "verdict.down",
        AlertEvent.Severity.CRITICAL,
        "web-" + i,
        null,
        "web-" + i + " is DOWN",
        Map.of(),
        Instant.parse("2026-11-22T00:00:00Z"),
        "eu-west",
        "target:web-" + i,
        false);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A minimal webhook-like sender: POST with the event id in {@code webhook-id}. */
  private record PostSender(HttpClient http, int port) implements ChannelSender {
    @Override
    public String channelId() {
      return "hook";
    }

    @Override
    public Future<DeliveryResult> send(AlertEvent event, int attempt) {
      RequestOptions req =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setHost("127.0.0.1")
              .setPort(port)
              .setURI("/hook")
              .putHeader("webhook-id", event.id())
              .setTimeout(3_000);
      return http.request(req)
          .compose(r -> r.send(event.summary()))
          .compose(resp -> resp.body().map(b -> result(resp.statusCode())))
          .otherwise(t -> DeliveryResult.retry(-1, -1, t.toString()));
    }

    private static DeliveryResult result(int status) {
      if (status / 100 == 2) {
        return DeliveryResult.delivered(status);
      }
      if (status >= 500 || status == 429) {
        return DeliveryResult.retry(status, -1, "HTTP " + status);
      }
      return DeliveryResult.failed(status, "HTTP " + status);
    }
  }
}
