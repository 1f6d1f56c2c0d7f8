package io.quorate.probe.mail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * TCP_QUICKACK is really set on a client socket under both transports (NIO through the JDK's
 * extended socket option, epoll through Netty's) and a closed socket is refused without an
 * exception. The peer is a loopback Vert.x server: only our client socket's option is under test.
 */
class QuickAckTest {
  @Test
  void setsQuickAckUnderNio() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      assertFalse(vertx.isNativeTransportEnabled());
      assertTrue(withClient(vertx, QuickAck::request));
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void setsQuickAckUnderEpoll() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      assertTrue(vertx.isNativeTransportEnabled(), "epoll transport expected on Linux");
      assertTrue(withClient(vertx, QuickAck::request));
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void closedSocketIsRefusedQuietly() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      assertFalse(
          withClient(
              vertx,
              s -> {
                s.close().await(5, TimeUnit.SECONDS);
                return QuickAck.request(s);
              }));
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  private interface SocketCheck {
    boolean test(NetSocket socket) throws Exception;
  }

  private static boolean withClient(Vertx vertx, SocketCheck check) throws Exception {
    int port = Ports.free();
    NetServer server = vertx.createNetServer().connectHandler(s -> s.handler(b -> {}));
    server.listen(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
    NetSocket socket =
        vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
    try {
      return check.test(socket);
    } finally {
      socket.close().await(5, TimeUnit.SECONDS);
    }
  }
}
