package io.quorate.probe.dns;

import io.netty.channel.EventLoop;
import io.vertx.core.internal.VertxInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current {@link SharedUdpSocket} of each event loop and address family, shared by every DNS
 * query made on that loop (all probes, all {@link DnsTransport}s of the process). A socket that has
 * served {@link SharedUdpSocket#MAX_USES} queries, or failed, is retired and replaced on the next
 * query. A loop's entry goes when the loop shuts down (its sockets close with it).
 */
final class UdpPool {
  /** Per loop: [IPv4 socket, IPv6 socket]; each array is touched only on its own loop's thread. */
  private static final Map<EventLoop, SharedUdpSocket[]> CURRENT = new ConcurrentHashMap<>();

  private UdpPool() {}

  /**
   * The socket for new queries of the family on {@code loop}, opened if needed; {@code null} when
   * the loop is shutting down. Must be called on {@code loop}.
   */
  static SharedUdpSocket socket(VertxInternal vertx, EventLoop loop, boolean v6) {
    SharedUdpSocket[] slots = CURRENT.get(loop);
    if (slots == null) {
      if (loop.isShuttingDown()) {
        return null;
      }
      slots = new SharedUdpSocket[2];
      CURRENT.put(loop, slots);
      loop.terminationFuture().addListener(f -> CURRENT.remove(loop));
    }
    int i = v6 ? 1 : 0;
    SharedUdpSocket s = slots[i];
    if (s == null || !s.usable()) {
      if (s != null) {
        s.retire();
      }
      if (loop.isShuttingDown()) {
        return null;
      }
      s = SharedUdpSocket.open(vertx, loop, v6);
      slots[i] = s;
    }
    return s;
  }
}
