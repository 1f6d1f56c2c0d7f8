package io.quorate.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load generator for blackbox_exporter: {@code c} lanes of {@code GET /probe} over kept-alive
 * connections, each lane issuing its next request when the previous answer is read, until {@code n}
 * have started. A probe counts as a success when the answer has {@code probe_success 1}. Runs in
 * the harness JVM, whose CPU is not counted.
 */
final class ExporterLoad {
  /**
   * Longest wait for a pooled connection, and for the answer to stall (the modules time out after 5
   * s); twice this for a whole request. A request past it counts as failed.
   */
  static final long REQUEST_LIMIT_MS = 10_000;

  private ExporterLoad() {}

  /** Wall time, successes and the first failed answer (clipped), if any. */
  record Result(long wallNanos, int n, int success, String firstFailure) {
    double perSecond() {
      return n / (wallNanos / 1e9);
    }
  }

  static String uri(String module, String target) {
    return "/probe?module="
        + URLEncoder.encode(module, StandardCharsets.UTF_8)
        + "&target="
        + URLEncoder.encode(target, StandardCharsets.UTF_8);
  }

  /** Blocks the calling thread (not an event loop) for at most {@link ProbeLoad#LIMIT_MINUTES}. */
  static Result run(HttpClientAgent client, int port, String uri, int n, int c) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    long t0 = System.nanoTime();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < c; i++) {
      lanes.add(lane(client, port, uri, n, next, ok, failure));
    }
    try {
      Future.all(lanes)
          .toCompletionStage()
          .toCompletableFuture()
          .get(ProbeLoad.LIMIT_MINUTES, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("exporter load did not finish: " + e, e);
    }
    return new Result(System.nanoTime() - t0, n, ok.get(), failure.get());
  }

  private static Future<Void> lane(
      HttpClientAgent client,
      int port,
      String uri,
      int n,
      AtomicInteger next,
      AtomicInteger ok,
      AtomicReference<String> failure) {
    if (next.getAndIncrement() >= n) {
      return Future.succeededFuture();
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost(BenchTargets.HOST)
            .setPort(port)
            .setURI(uri)
            .setConnectTimeout(REQUEST_LIMIT_MS)
            .setIdleTimeout(REQUEST_LIMIT_MS);
    return client
        .request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body())
        .map(body -> body.toString(StandardCharsets.UTF_8))
        .timeout(2 * REQUEST_LIMIT_MS, TimeUnit.MILLISECONDS)
        .otherwise(e -> "request failed: " + e)
        .compose(
            text -> {
              if (text.contains("\nprobe_success 1")) {
                ok.incrementAndGet();
              } else {
                failure.compareAndSet(null, clip(text));
              }
              return lane(client, port, uri, n, next, ok, failure);
            });
  }

  private static String clip(String text) {
    String one = text.replace('\n', ' ');
    return one.length() > 300 ? one.substring(0, 300) + "…" : one;
  }
}
