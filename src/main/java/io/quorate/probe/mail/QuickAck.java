package io.quorate.probe.mail;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import jdk.net.ExtendedSocketOptions;

/**
 * Asks Linux to acknowledge the next incoming segment at once (TCP_QUICKACK) instead of delaying
 * the ACK by up to 40 ms (200 ms at most).
 *
 * <p>Why: after a TLS 1.3 handshake OpenSSL servers (Postfix, Dovecot) send NewSessionTicket
 * messages (RFC 8446 §4.6.1) right after the client's Finished. The client has meanwhile sent its
 * first command (EHLO) and, having just sent data, its socket is in Linux's "pingpong"
 * (interactive) mode, so the tickets' ACK is delayed. The server's reply to the command is a small
 * segment behind unacknowledged data, which Nagle's algorithm (RFC 896) holds until that delayed
 * ACK: ~40 ms per probe instead of ~5. Setting TCP_QUICKACK right after each write leaves pingpong
 * mode, so the tickets are acknowledged immediately and the reply is not held. The flag is not
 * sticky (tcp(7): "subsequent operation of the TCP protocol will once again enter/leave quickack
 * mode"), hence once per write, not once per socket.
 *
 * <p>Works with both transports: the JDK's {@link ExtendedSocketOptions#TCP_QUICKACK} under NIO and
 * Netty's epoll option (looked up by name, so the epoll classes need not be on the class path).
 * Where the platform lacks the option it does nothing.
 */
final class QuickAck {
  private static final NioChannelOption<Boolean> NIO =
      (NioChannelOption<Boolean>) NioChannelOption.of(ExtendedSocketOptions.TCP_QUICKACK);

  /** Netty's {@code EpollChannelOption.TCP_QUICKACK}: constants are pooled by name. */
  private static final ChannelOption<Boolean> EPOLL =
      ChannelOption.valueOf("io.netty.channel.epoll.EpollChannelOption#TCP_QUICKACK");

  private QuickAck() {}

  /** Requests an immediate ACK for what arrives next; false if the option could not be set. */
  static boolean request(NetSocket socket) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return false;
    }
    Channel ch = internal.channelHandlerContext().channel();
    try {
      // an option a transport does not know is refused with false, so try NIO's, then epoll's
      return ch.config().setOption(NIO, true) || ch.config().setOption(EPOLL, true);
    } catch (ChannelException | UnsupportedOperationException e) {
      return false; // closed meanwhile, or no such option here: only latency is at stake
    }
  }
}
