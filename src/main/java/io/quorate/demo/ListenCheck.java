package io.quorate.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * Checks from the outside whether an address accepts TCP connections. Needed because Vert.x 5
 * completes a server's close future a few milliseconds before the kernel stops accepting (seen in
 * about 1 of 20 stops of an HTTP server on loopback): a stop that promises "refused from now on"
 * must look. Polls with one-shot timers, bounded in attempts, never blocks.
 */
final class ListenCheck {
  /** Most connect attempts before giving up on a refusal. */
  static final int ATTEMPTS = 100;

  /** Pause between two attempts. */
  static final long INTERVAL_MS = 10;

  /** Connect timeout of one attempt. */
  static final int CONNECT_TIMEOUT_MS = 1_000;

  private ListenCheck() {}

  /** Succeeds once {@code host:port} accepts a connection (which is closed at once). */
  static Future<Void> accepts(Vertx vertx, String host, int port) {
    NetClient client = client(vertx);
    return client
        .connect(options(host, port))
        .compose(s -> s.close())
        .eventually(() -> client.close());
  }

  /**
   * Succeeds once a connect to {@code host:port} fails; fails with {@link IllegalStateException} if
   * it is still accepted after {@link #ATTEMPTS} tries.
   */
  static Future<Void> refused(Vertx vertx, String host, int port) {
    NetClient client = client(vertx);
    return attempt(vertx, client, host, port, 1).eventually(() -> client.close());
  }

  private static Future<Void> attempt(Vertx vertx, NetClient client, String host, int port, int n) {
    return client
        .connect(options(host, port))
        .compose(
            s -> s.close().transform(x -> retry(vertx, client, host, port, n)),
            refused -> Future.succeededFuture());
  }

  private static Future<Void> retry(Vertx vertx, NetClient client, String host, int port, int n) {
    if (n >= ATTEMPTS) {
      return Future.failedFuture(
          new IllegalStateException(
              host + ":" + port + " still accepts connections after " + n + " attempts"));
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(INTERVAL_MS, id -> later.complete());
    return later.future().compose(v -> attempt(vertx, client, host, port, n + 1));
  }

  private static NetClient client(Vertx vertx) {
    return vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
  }

  private static ConnectOptions options(String host, int port) {
    return new ConnectOptions().setHost(host).setPort(port).setTimeout(CONNECT_TIMEOUT_MS);
  }
}
