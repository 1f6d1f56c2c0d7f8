package io.quorate.probe.dns;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The UDP socket of one query when the shared one ({@link SharedUdpSocket}) has no free ID: a Netty
 * datagram channel of Vert.x's own transport on the caller's event loop, unconnected (so {@link
 * UdpExchange} sees, counts and ignores datagrams from other senders), bound to an OS-chosen port.
 * It replaces a Vert.x {@code DatagramSocket}, whose {@code listen(port, host)} and {@code
 * send(buffer, port, host)} resolve host strings through the name resolver and which carries a
 * connection object, a message queue and a close hook per socket: about a third of the probe's
 * event-loop time (issue #8 profile). The server address here is an IP literal already, turned into
 * an {@link InetSocketAddress} without any lookup.
 *
 * <p>Datagrams up to {@link DnsTransport#UDP_RECEIVE_BYTES} are read whole, as before (Vert.x's
 * {@code Transport.configure} sets SO_RCVBUF and a fixed receive buffer of that size).
 */
final class UdpSocket extends ChannelInboundHandlerAdapter {
  private static final DatagramSocketOptions OPTIONS =
      new DatagramSocketOptions().setReceiveBufferSize(DnsTransport.UDP_RECEIVE_BYTES);

  private final ContextInternal context;
  private final DatagramChannel channel;
  private final UdpExchange exchange;
  private final boolean v6;

  private UdpSocket(
      ContextInternal context, DatagramChannel channel, UdpExchange exchange, boolean v6) {
    this.context = context;
    this.channel = channel;
    this.exchange = exchange;
    this.v6 = v6;
  }

  /**
   * Opens a socket for {@code server}'s address family on the current event loop (or a context of
   * {@code vertx}); {@link #send} binds and sends. Datagrams and errors go to {@code exchange}.
   */
  static UdpSocket open(Vertx vertx, InetSocketAddress server, UdpExchange exchange) {
    VertxInternal owner = (VertxInternal) vertx;
    boolean v6 = server.getAddress() instanceof Inet6Address;
    DatagramChannel ch = io.quorate.dns.UdpChannels.create(owner, v6, OPTIONS);
    UdpSocket socket = new UdpSocket(owner.getOrCreateContext(), ch, exchange, v6);
    ch.pipeline().addLast(socket);
    return socket;
  }

  /** Registers and binds the channel, then sends {@code wire} to {@code server}. */
  Future<Void> send(byte[] wire, InetSocketAddress server) {
    return io.quorate.dns.UdpChannels.registerAndBind(context, channel, wildcard(v6))
        .compose(
            v -> {
              exchange.sent(System.nanoTime());
              PromiseInternal<Void> sent = context.promise();
              channel
                  .writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), server))
                  .addListener(sent);
              return sent.future();
            });
  }

  /** {@code ::} or {@code 0.0.0.0}, port 0 (OS-chosen), built without a lookup. */
  static InetSocketAddress wildcard(boolean v6) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[v6 ? 16 : 4]), 0);
    } catch (UnknownHostException e) { // only for a wrong length
      throw new IllegalStateException(e);
    }
  }

  /** Closes the socket (idempotent). */
  Future<Void> close() {
    if (!channel.isOpen()) {
      return Future.succeededFuture();
    }
    PromiseInternal<Void> closed = context.promise();
    channel.close().addListener(closed);
    return closed.future();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket packet)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      exchange.onPacket(packet.sender(), ByteBufUtil.getBytes(packet.content()));
    } finally {
      packet.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    exchange.onError(cause);
  }
}
