package io.quorate.alert;

import io.quorate.config.Alerts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * One delivery attempt of a {@link WebhookSender}: resolve and vet the address, connect to it,
 * POST, classify the response head, read at most {@link WebhookSender#MAX_BODY_BYTES} of the body
 * for a short detail, close. The whole attempt is bounded by the channel's {@code timeoutMs}: when
 * it passes before the response head, the attempt is a RETRY; after it, the head decides.
 */
final class WebhookAttempt {
  private static final int DETAIL_CHARS = 200;

  /** What to send. {@code signature} is {@code null} for unsigned formats. */
  record Request(
      WebhookSender.Target target, Buffer body, String id, long timestamp, String signature) {}

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final SsrfGuard guard;
  private final ClientSSLOptions ssl;
  private final Alerts.Webhook config;
  private final Clock clock;
  private final long startNanos = System.nanoTime();
  private final Promise<DeliveryResult> promise = Promise.promise();
  private final AtomicBoolean done = new AtomicBoolean();
  private final AtomicReference<HttpClientConnection> conn = new AtomicReference<>();
  private volatile DeliveryResult headResult;
  private volatile String phase = "resolve";
  private volatile long timerId = -1;

  WebhookAttempt(
      Vertx vertx,
      HttpClientAgent client,
      SsrfGuard guard,
      ClientSSLOptions ssl,
      Alerts.Webhook config,
      Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.guard = guard;
    this.ssl = ssl;
    this.config = config;
    this.clock = clock;
  }

  Future<DeliveryResult> run(Request r) {
    timerId = vertx.setTimer(Math.max(1, config.timeoutMs()), id -> onDeadline());
    guard
        .resolve(r.target().host())
        .compose(addr -> connect(r.target(), addr))
        .compose(c -> post(r, c))
        .compose(this::read)
        .onComplete(ar -> finish(ar.succeeded() ? ar.result() : failure(ar.cause())));
    return promise.future();
  }

  private Future<HttpClientConnection> connect(WebhookSender.Target t, InetAddress addr) {
    phase = t.https() ? "connect/TLS handshake" : "connect";
    long remaining = remainingMs();
    String name = SsrfGuard.normalise(t.host());
    HttpConnectOptions o =
        new HttpConnectOptions()
            // the address the guard checked: no second lookup (DNS rebinding)
            .setServer(SocketAddress.inetSocketAddress(t.port(), addr.getHostAddress()))
            .setHost(name) // SNI and certificate name (RFC 6066 §3; IP literals send no SNI)
            .setPort(t.port())
            .setSsl(t.https())
            .setConnectTimeout(Math.min(remaining, Math.max(1, config.connectTimeoutMs())));
    if (t.https()) {
      o.setSslOptions(
          new ClientSSLOptions(ssl)
              .setSslHandshakeTimeout(remaining)
              .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS));
    }
    return client
        .connect(o)
        .compose(
            c -> {
              conn.set(c);
              if (done.get()) { // the deadline passed while connecting: nobody else closes it
                closeConnection();
                return Future.failedFuture(new IllegalStateException("late connection"));
              }
              return Future.succeededFuture(c);
            });
  }

  private Future<HttpClientResponse> post(Request r, HttpClientConnection c) {
    phase = "waiting for response";
    WebhookSender.Target t = r.target();
    boolean defaultPort = t.port() == (t.https() ? 443 : 80);
    RequestOptions ro =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI(t.pathAndQuery())
            .setFollowRedirects(false)
            .putHeader(HttpHeaders.HOST, defaultPort ? t.host() : t.host() + ":" + t.port())
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.USER_AGENT, WebhookSender.USER_AGENT)
            .putHeader(WebhookSignature.HEADER_ID, r.id())
            .putHeader(WebhookSignature.HEADER_TIMESTAMP, Long.toString(r.timestamp()));
    if (r.signature() != null) {
      ro.putHeader(WebhookSignature.HEADER_SIGNATURE, r.signature());
    }
    return c.request(ro).compose(req -> req.send(r.body()));
  }

  /** Classifies the head at once, then reads a bounded body prefix for the detail. */
  private Future<DeliveryResult> read(HttpClientResponse resp) {
    phase = "reading response";
    DeliveryResult head =
        WebhookSender.classify(
            resp.statusCode(),
            resp.getHeader(HttpHeaders.LOCATION),
            resp.getHeader(HttpHeaders.RETRY_AFTER),
            clock.instant());
    headResult = head;
    if (head.outcome() == DeliveryResult.Outcome.DELIVERED) {
      return Future.succeededFuture(head); // the body says nothing more; close() drops it
    }
    Promise<DeliveryResult> p = Promise.promise();
    Buffer prefix = Buffer.buffer();
    long[] total = {0};
    resp.exceptionHandler(e -> p.tryComplete(head));
    resp.handler(
        chunk -> {
          total[0] += chunk.length();
          if (prefix.length() < DETAIL_CHARS) {
            prefix.appendBuffer(chunk, 0, Math.min(chunk.length(), DETAIL_CHARS - prefix.length()));
          }
          if (total[0] >= WebhookSender.MAX_BODY_BYTES) {
            p.tryComplete(withBody(head, prefix)); // stop here: close() drops the rest
          }
        });
    resp.endHandler(v -> p.tryComplete(withBody(head, prefix)));
    return p.future();
  }

  private static DeliveryResult withBody(DeliveryResult head, Buffer prefix) {
    String text = prefix.toString().replaceAll("[\\p{Cntrl}]+", " ").strip();
    if (text.isEmpty() || head.detail().contains("redirect")) {
      return head;
    }
    return new DeliveryResult(
        head.outcome(), head.status(), head.retryAfterMs(), head.detail() + ": " + text);
  }

  private DeliveryResult failure(Throwable t) {
    if (t instanceof SsrfGuard.AddressRefusedException) {
      return DeliveryResult.failed(-1, t.getMessage());
    }
    if (t instanceof UnknownHostException) {
      return DeliveryResult.retry(-1, -1, "cannot resolve " + SsrfGuard.normalise(hostOf()));
    }
    if (t instanceof ConnectException) {
      return DeliveryResult.retry(-1, -1, "connect: connection refused");
    }
    if (t instanceof SSLException) {
      return DeliveryResult.retry(-1, -1, "TLS: " + t.getMessage());
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return DeliveryResult.retry(-1, -1, phase + ": " + msg);
  }

  private String hostOf() {
    return WebhookSender.parse(config.url()).host();
  }

  private void onDeadline() {
    timerId = -1;
    DeliveryResult head = headResult;
    finish(
        head != null
            ? head
            : DeliveryResult.retry(
                -1, -1, phase + ": timed out after " + config.timeoutMs() + " ms"));
  }

  private void finish(DeliveryResult r) {
    if (!done.compareAndSet(false, true)) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    closeConnection().onComplete(ar -> promise.tryComplete(r));
  }

  private Future<Void> closeConnection() {
    HttpClientConnection c = conn.getAndSet(null);
    return c == null ? Future.succeededFuture() : c.close().recover(e -> Future.succeededFuture());
  }

  private long remainingMs() {
    long elapsed = (System.nanoTime() - startNanos) / 1_000_000L;
    return Math.max(1, config.timeoutMs() - elapsed);
  }
}
