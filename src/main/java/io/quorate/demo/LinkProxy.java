package io.quorate.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One mesh link of the demo (region i → region j) as a loopback TCP proxy that can be cut: while
 * cut it resets every open connection and every new one, which is what a partitioned network looks
 * like to the mesh (connection refused or reset). This is how the demo isolates a region without
 * any fault switch in the agent itself.
 */
final class LinkProxy {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private NetServer server;

  LinkProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
  }

  /** Listens on an ephemeral loopback port. */
  Future<LinkProxy> start() {
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    server.connectHandler(this::accept);
    return server.listen().map(s -> this);
  }

  int port() {
    return server.actualPort();
  }

  /** Cuts the link: open connections are closed, new ones refused until {@link #heal()}. */
  void cut() {
    cut = true;
    open.forEach(NetSocket::close);
  }

  void heal() {
    cut = false;
  }

  boolean isCut() {
    return cut;
  }

  Future<Void> close() {
    cut();
    return Future.join(server.close(), client.close()).mapEmpty();
  }

  private void accept(NetSocket in) {
    if (cut) {
      in.close();
      return;
    }
    in.pause();
    track(in);
    client
        .connect(targetPort, targetHost)
        .onSuccess(
            out -> {
              track(out);
              if (cut) {
                in.close();
                out.close();
                return;
              }
              // pipes keep back-pressure and end the other side when one side ends
              in.pipeTo(out);
              out.pipeTo(in);
            })
        .onFailure(err -> in.close());
  }

  private void track(NetSocket s) {
    open.add(s);
    s.closeHandler(v -> open.remove(s));
  }
}
