package io.quorate.dns;

import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Future;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;

/**
 * Bare Netty datagram channels on Vert.x's own transport, for the DNS probe's sockets and the
 * embedded server's listener: created and configured as Vert.x configures a {@code DatagramSocket},
 * then registered on a context's event loop and bound. Uses Vert.x's internal API ({@link
 * ContextInternal}, {@link VertxInternal}), which Vert.x modules build on.
 */
public final class UdpChannels {
  private UdpChannels() {}

  /** A new unregistered channel of the address family, configured with {@code options}. */
  @SuppressWarnings("deprecation") // InternetProtocolFamily: what Vert.x 5 Transport takes
  public static DatagramChannel create(
      VertxInternal vertx, boolean v6, DatagramSocketOptions options) {
    DatagramChannel ch =
        vertx
            .transport()
            .datagramChannel(v6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    vertx.transport().configure(ch, options);
    ch.config().setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, false);
    return ch;
  }

  /** Registers {@code ch} on {@code context}'s event loop, then binds it to {@code local}. */
  public static Future<Void> registerAndBind(
      ContextInternal context, DatagramChannel ch, InetSocketAddress local) {
    PromiseInternal<Void> registered = context.promise();
    context.nettyEventLoop().register(ch).addListener(registered);
    return registered
        .future()
        .compose(
            v -> {
              PromiseInternal<Void> bound = context.promise();
              ch.bind(local).addListener(bound);
              return bound.future();
            });
  }
}
