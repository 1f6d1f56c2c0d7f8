package io.quorate.dns.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.function.Function;

/**
 * One client's DNS-over-TCP connection (RFC 7766): two-byte length-prefixed messages, several
 * queries in flight on one connection (answered in order, each as soon as it is complete), reading
 * paused while the client does not read our answers. A frame shorter than a header, or one the
 * responder drops, closes the connection; so do the server's idle timeout and a client that never
 * completes a frame.
 */
final class TcpSession {
  /** Bytes buffered at most (beyond one read): one maximum frame and its prefix. */
  static final int MAX_PENDING = 2 + QueryResponder.MAX_MESSAGE;

  private final NetSocket socket;
  private final Function<byte[], QueryResponder.Reply> responder;
  private Buffer pending = Buffer.buffer();
  private boolean closed;

  TcpSession(NetSocket socket, Function<byte[], QueryResponder.Reply> responder) {
    this.socket = socket;
    this.responder = responder;
  }

  void start() {
    socket.handler(this::onData);
    socket.exceptionHandler(t -> close());
  }

  private void onData(Buffer chunk) {
    if (closed) {
      return;
    }
    pending.appendBuffer(chunk);
    while (!closed && pending.length() >= 2) {
      if (socket.writeQueueFull()) { // the client does not read: stop reading its queries
        socket.pause();
        socket.drainHandler(
            v -> {
              socket.resume();
              onData(Buffer.buffer());
            });
        break;
      }
      int len = pending.getUnsignedShort(0);
      if (len < 12) {
        close(); // not even a header: nothing sensible follows
        return;
      }
      if (pending.length() < 2 + len) {
        break;
      }
      byte[] frame = pending.getBytes(2, 2 + len);
      pending = pending.getBuffer(2 + len, pending.length());
      answer(frame);
    }
    if (pending.length() > MAX_PENDING + 65_536) {
      close();
    }
  }

  private void answer(byte[] frame) {
    QueryResponder.Reply reply = responder.apply(frame);
    if (reply.dropped()) {
      close();
      return;
    }
    for (byte[] m : reply.messages()) {
      socket.write(Buffer.buffer(2 + m.length).appendUnsignedShort(m.length).appendBytes(m));
    }
  }

  private void close() {
    if (!closed) {
      closed = true;
      socket.close();
    }
  }
}
