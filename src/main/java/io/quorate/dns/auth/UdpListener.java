package io.quorate.dns.auth;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's UDP socket: a Netty datagram channel of Vert.x's own transport, registered on the
 * verticle's event loop, so every packet is handled on the verticle's thread as with a Vert.x
 * {@code DatagramSocket}. Vert.x's {@code DatagramSocket.send(buffer, port, host)} resolves the
 * host string of every reply through the name resolver and completes a promise per packet: about
 * half of the event loop's time at 150,000 queries/s (issue #5 profile). Here a reply goes to the
 * sender's {@link InetSocketAddress} as received, and replies to one read batch are flushed
 * together. Uses Vert.x's internal API ({@link ContextInternal}), which Vert.x modules build on.
 */
final class UdpListener extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);

  /** Answers one datagram on the event loop: the bytes to send back, or {@code null} for none. */
  @FunctionalInterface
  interface Answerer {
    byte[] answer(byte[] query, InetSocketAddress sender);
  }

  /**
   * Datagrams read per wake-up before other channels of the loop get a turn (Netty's default;
   * Vert.x's DatagramSocket reads one).
   */
  static final int READ_BATCH = 16;

  private final ContextInternal context;
  private final Answerer answerer;
  private final DatagramChannel channel;
  private final DatagramSocketMetrics metrics; // Vert.x's vertx_datagram_* meters, as before

  private UdpListener(
      ContextInternal context,
      Answerer answerer,
      DatagramChannel channel,
      DatagramSocketMetrics metrics) {
    this.context = context;
    this.answerer = answerer;
    this.channel = channel;
    this.metrics = metrics;
  }

  /** Binds {@code address}:{@code port} on {@code context}'s event loop. */
  static Future<UdpListener> bind(
      Context context, InetAddress address, int port, Answerer answerer) {
    ContextInternal ctx = (ContextInternal) context;
    DatagramSocketOptions options = new DatagramSocketOptions();
    DatagramChannel ch =
        io.quorate.dns.UdpChannels.create(ctx.owner(), address instanceof Inet6Address, options);
    ((MaxMessagesRecvByteBufAllocator) ch.config().getRecvByteBufAllocator())
        .maxMessagesPerRead(READ_BATCH);
    VertxMetrics vm = ctx.owner().metrics();
    UdpListener listener =
        new UdpListener(
            ctx, answerer, ch, vm == null ? null : vm.createDatagramSocketMetrics(options));
    ch.pipeline().addLast(listener);
    return io.quorate.dns.UdpChannels.registerAndBind(ctx, ch, new InetSocketAddress(address, port))
        .recover(e -> listener.close().transform(x -> Future.failedFuture(e)))
        .map(
            v -> {
              if (listener.metrics != null) {
                InetSocketAddress local = (InetSocketAddress) ch.localAddress();
                listener.metrics.listening(
                    local.getHostString(), SocketAddress.inetSocketAddress(local));
              }
              return listener;
            });
  }

  /** Closes the socket. */
  Future<Void> close() {
    if (!channel.isOpen()) {
      return Future.succeededFuture();
    }
    PromiseInternal<Void> closed = context.promise();
    channel.close().addListener(closed);
    return closed
        .future()
        .andThen(
            x -> {
              if (metrics != null) {
                metrics.close();
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket packet)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      byte[] query = ByteBufUtil.getBytes(packet.content());
      SocketAddress from =
          metrics == null ? null : SocketAddress.inetSocketAddress(packet.sender());
      if (from != null) {
        metrics.bytesRead(null, from, query.length);
      }
      byte[] out = answerer.answer(query, packet.sender());
      if (out != null) {
        ctx.write(
            new DatagramPacket(Unpooled.wrappedBuffer(out), packet.sender()), ctx.voidPromise());
        if (from != null) {
          metrics.bytesWritten(null, from, out.length);
        }
      }
    } catch (RuntimeException e) { // a bug must not close the socket
      LOG.debug("auth udp packet failed sender={} error={}", packet.sender(), e.toString());
    } finally {
      packet.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush(); // one flush per read batch (up to 16 datagrams)
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("auth udp error={}", cause.toString()); // e.g. ICMP unreachable: keep serving
    if (metrics != null) {
      metrics.exceptionOccurred(null, null, cause);
    }
  }
}
