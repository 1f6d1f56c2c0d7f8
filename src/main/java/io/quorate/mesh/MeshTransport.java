package io.quorate.mesh;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's HTTP client: kept-alive connections (at most two per peer: one push, one pull), an
 * overall deadline per exchange, response bodies capped at {@link MeshCodec#MAX_BODY_BYTES}, and
 * the test-only send delay of {@link MeshTuning}. Used from the mesh verticle's context only.
 */
final class MeshTransport {
  static final String REGION = "X-Quorate-Region";
  static final String SIGNATURE = "X-Quorate-Signature";
  static final String DATE = "X-Quorate-Date";

  private final Vertx vertx;
  private final MeshTuning tuning;
  private final HttpClientAgent client;
  private final SplittableRandom random = new SplittableRandom();

  /** A complete response: status, the signing headers, and the raw body. */
  record Reply(int status, String region, String signature, Buffer body) {}

  /** A transport failure or an unusable response. */
  static final class MeshSendException extends Exception {
    private static final long serialVersionUID = 1L;

    MeshSendException(String detail) {
      super(detail, null, false, false);
    }
  }

  MeshTransport(Vertx vertx, MeshTuning tuning) {
    this.vertx = vertx;
    this.tuning = tuning;
    int timeout = (int) Math.min(Integer.MAX_VALUE, tuning.requestTimeoutMs());
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setConnectTimeout(timeout)
                .setMaxHeaderSize(16 * 1024),
            new PoolOptions().setHttp1MaxSize(2));
  }

  /** Sends {@code body} (or nothing when {@code null}) and reads the whole, capped response. */
  Future<Reply> exchange(RequestOptions options, Buffer body) {
    return delay()
        .compose(v -> client.request(options.setIdleTimeout(tuning.requestTimeoutMs())))
        .compose(
            req ->
                (body == null ? req.send() : req.send(body))
                    .compose(this::read)
                    .timeout(tuning.requestTimeoutMs(), TimeUnit.MILLISECONDS)
                    .onFailure(e -> req.reset()));
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<Reply> read(HttpClientResponse resp) {
    Promise<Buffer> p = Promise.promise();
    String length = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null
        && length.matches("[0-9]{1,18}")
        && Long.parseLong(length) > MeshCodec.MAX_BODY_BYTES) {
      return Future.failedFuture(new MeshSendException("response body too large"));
    }
    Buffer body = Buffer.buffer();
    resp.exceptionHandler(p::tryFail);
    resp.handler(
        chunk -> {
          if (body.length() + chunk.length() > MeshCodec.MAX_BODY_BYTES) {
            p.tryFail(new MeshSendException("response body too large"));
          } else if (!p.future().isComplete()) {
            body.appendBuffer(chunk);
          }
        });
    resp.endHandler(v -> p.tryComplete(body));
    return p.future()
        .map(
            b ->
                new Reply(resp.statusCode(), resp.getHeader(REGION), resp.getHeader(SIGNATURE), b));
  }

  /** TEST ONLY fault injection: {@code sendDelayMs ± sendDelayJitterMs} before each request. */
  private Future<Void> delay() {
    long d = tuning.sendDelayMs();
    if (d <= 0) {
      return Future.succeededFuture();
    }
    long j = tuning.sendDelayJitterMs();
    long ms = j == 0 ? d : d - j + random.nextLong(2 * j + 1);
    return ms <= 0 ? Future.succeededFuture() : vertx.timer(ms, TimeUnit.MILLISECONDS).mapEmpty();
  }
}
