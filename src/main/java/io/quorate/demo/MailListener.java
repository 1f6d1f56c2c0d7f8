package io.quorate.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One listening port of a demo mail server (plaintext, STARTTLS on request). Each {@link #listen}
 * binds a fresh {@link NetServer}; {@link #close} closes it and every session it accepted.
 */
final class MailListener {
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final MailDialect dialect;
  private final DemoMailServer.Limits limits;
  private final ServerSSLOptions tls;
  private final String memberId;
  private final Set<MailConnection> sessions = ConcurrentHashMap.newKeySet();
  private volatile NetServer server;

  MailListener(
      Vertx vertx,
      String memberId,
      String host,
      int port,
      MailDialect dialect,
      DemoMailServer.Limits limits,
      ServerSSLOptions tls) {
    this.vertx = vertx;
    this.memberId = memberId;
    this.host = host;
    this.port = port;
    this.dialect = dialect;
    this.limits = limits;
    this.tls = tls;
  }

  /** Binds {@code host:port}; fails if the address is taken. */
  Future<Void> listen() {
    NetServer s =
        vertx.createNetServer(
            new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true));
    s.connectHandler(this::accept);
    return s.listen().onSuccess(bound -> server = bound).mapEmpty();
  }

  /**
   * Stops listening and closes every open session; completes once the port refuses connections (if
   * it was listening), and fails only if it still accepts after {@link ListenCheck#ATTEMPTS}.
   */
  Future<Void> close() {
    NetServer s = server;
    server = null;
    List<Future<Void>> closing = new ArrayList<>();
    if (s != null) {
      closing.add(s.close().otherwiseEmpty().compose(v -> ListenCheck.refused(vertx, host, port)));
    }
    for (MailConnection c : sessions) {
      closing.add(c.close());
    }
    sessions.clear();
    return Future.join(closing).mapEmpty();
  }

  /** Open sessions right now. */
  int sessions() {
    return sessions.size();
  }

  private void accept(NetSocket socket) {
    String where = memberId + "/" + dialect.name() + "/" + socket.remoteAddress();
    MailConnection c = new MailConnection(vertx, socket, dialect, limits, tls, where);
    if (sessions.size() >= limits.maxSessions()) {
      c.refuse();
      return;
    }
    sessions.add(c);
    c.start(() -> sessions.remove(c));
  }
}
