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
 * remote state with a bound, never sleeps to synchronise.
 */
public final class ApiPoll {
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
        .send()
        .map(r -> r.bodyAsJsonObject());
  }

  /** Completes with the first body for which {@code done} holds; fails after {@code limit}. */
  public Future<JsonObject> until(
      int port, String path, Duration limit, Predicate<JsonObject> done) {
    Promise<JsonObject> p = Promise.promise();
    long deadline = System.nanoTime() + limit.toNanos();
    JsonObject[] last = new JsonObject[1];
    vertx.setPeriodic(
        0,
        100,
        id ->
            get(port, path)
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        last[0] = ar.result();
                        if (done.test(ar.result())) {
                          vertx.cancelTimer(id);
                          p.tryComplete(ar.result());
                          return;
                        }
                      }
                      if (System.nanoTime() > deadline) {
                        vertx.cancelTimer(id);
                        p.tryFail(
                            "not met within "
                                + limit
                                + " at :"
                                + port
                                + path
                                + "; last: "
                                + (last[0] == null ? ar.cause() : last[0].encode()));
                      }
                    }));
    return p.future();
  }

  /**
   * Completes when {@code holds} was true at every read during {@code window}; fails at the first
   * read where it was not.
   */
  public Future<Integer> during(
      int port, String path, Duration window, Predicate<JsonObject> holds) {
    Promise<Integer> p = Promise.promise();
    long end = System.nanoTime() + window.toNanos();
    int[] reads = new int[1];
    vertx.setPeriodic(
        0,
        100,
        id ->
            get(port, path)
                .onComplete(
                    ar -> {
                      if (ar.failed() || !holds.test(ar.result())) {
                        vertx.cancelTimer(id);
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
                        vertx.cancelTimer(id);
                        p.tryComplete(reads[0]);
                      }
                    }));
    return p.future();
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
