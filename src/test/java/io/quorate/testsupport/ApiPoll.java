package io.quorate.testsupport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Polls an agent's API every 100 ms until a condition holds or a deadline passes: the test reads
 * remote state with a bound, never sleeps to synchronise. One request at a time, each with its own
 * timeout; the next is scheduled only when the previous one has finished (no periodic timer to
 * cancel from a callback), so a slow or silent agent ends in a clear failure at the deadline.
 */
public final class ApiPoll {
  static final long PERIOD_MS = 100;
  static final long REQUEST_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final WebClient client;
  private final String token;

  public ApiPoll(Vertx vertx, String token) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.token = token;
  }

  /** GET {@code path} once. */
  public Future<JsonObject> get(int port, String path) {
    return client
        .get(port, "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + token)
        .timeout(REQUEST_TIMEOUT_MS)
        .send()
        .map(r -> r.bodyAsJsonObject());
  }

  /** Completes with the first body for which {@code done} holds; fails after {@code limit}. */
  public Future<JsonObject> until(
      int port, String path, Duration limit, Predicate<JsonObject> done) {
    Promise<JsonObject> p = Promise.promise();
    long deadline = System.nanoTime() + limit.toNanos();
    poll(port, path, deadline, done, p, new Object[] {null});
    return p.future();
  }

  private void poll(
      int port,
      String path,
      long deadline,
      Predicate<JsonObject> done,
      Promise<JsonObject> p,
      Object[] last) {
    get(port, path)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                last[0] = ar.result().encode();
                if (done.test(ar.result())) {
                  p.tryComplete(ar.result());
                  return;
                }
              } else {
                last[0] = ar.cause().toString();
              }
              if (System.nanoTime() > deadline) {
                p.tryFail("not met in time at :" + port + path + "; last: " + last[0]);
              } else {
                vertx.setTimer(PERIOD_MS, id -> poll(port, path, deadline, done, p, last));
              }
            });
  }

  /**
   * Completes when {@code holds} was true at every read during {@code window}; fails at the first
   * read where it was not.
   */
  public Future<Integer> during(
      int port, String path, Duration window, Predicate<JsonObject> holds) {
    Promise<Integer> p = Promise.promise();
    check(port, path, System.nanoTime() + window.toNanos(), holds, p, new int[1]);
    return p.future();
  }

  private void check(
      int port,
      String path,
      long end,
      Predicate<JsonObject> holds,
      Promise<Integer> p,
      int[] reads) {
    get(port, path)
        .onComplete(
            ar -> {
              if (ar.failed() || !holds.test(ar.result())) {
                p.tryFail(
                    "broken at read "
                        + reads[0]
                        + " of :"
                        + port
                        + path
                        + ": "
                        + (ar.failed() ? ar.cause() : ar.result().encode()));
                return;
              }
              reads[0]++;
              if (System.nanoTime() > end) {
                p.tryComplete(reads[0]);
              } else {
                vertx.setTimer(PERIOD_MS, id -> check(port, path, end, holds, p, reads));
              }
            });
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
