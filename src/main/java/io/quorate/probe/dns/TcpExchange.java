package io.quorate.probe.dns;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.xbill.DNS.Message;

/**
 * One query over an open TCP connection: RFC 1035 §4.2.2 two-byte length prefix both ways. Frames
 * that are not our answer are skipped (RFC 7766 §7 allows out-of-order answers), but the total read
 * is capped so a server cannot make us buffer without bound.
 */
final class TcpExchange {
  /** At most this many bytes are read per exchange: a few maximum-size (65535) messages. */
  static final int MAX_READ = 4 * (2 + 65535);

  private final Message query;
  private final Promise<DnsExchange> promise = Promise.promise();
  private Buffer pending = Buffer.buffer();
  private int read;
  private volatile long sentAt;
  private long firstByteAt;
  private double connectMs;
  private volatile String mismatch;

  TcpExchange(Message query) {
    this.query = query;
  }

  Future<DnsExchange> future() {
    return promise.future();
  }

  boolean isDone() {
    return promise.future().isComplete();
  }

  /** Called once the connection is up: installs the handlers and writes the framed query. */
  void start(NetSocket socket, long connectStartNanos) {
    sentAt = System.nanoTime();
    connectMs = Timings.millisBetween(connectStartNanos, sentAt);
    socket.handler(this::onData);
    socket.exceptionHandler(this::onError);
    socket.endHandler(
        v -> fail(ErrorKind.PROTOCOL, "server closed the connection before a complete answer"));
    byte[] wire = query.toWire();
    socket
        .write(Buffer.buffer(2 + wire.length).appendUnsignedShort(wire.length).appendBytes(wire))
        .onFailure(this::onError);
  }

  void onError(Throwable t) {
    promise.tryFail(DnsProbeException.of("tcp", t));
  }

  void onTimeout() {
    String m = mismatch;
    fail(
        ErrorKind.TIMEOUT,
        (sentAt == 0 ? "TCP connect did not complete" : "no answer over TCP")
            + (m == null ? "" : " (ignored a mismatched answer: " + m + ")"));
  }

  private void onData(Buffer chunk) {
    if (firstByteAt == 0) {
      firstByteAt = System.nanoTime();
    }
    read += chunk.length();
    if (read > MAX_READ) {
      fail(ErrorKind.PROTOCOL, "server sent more than " + MAX_READ + " bytes without our answer");
      return;
    }
    pending.appendBuffer(chunk);
    while (!isDone() && pending.length() >= 2) {
      int len = pending.getUnsignedShort(0);
      if (pending.length() < 2 + len) {
        return;
      }
      byte[] frame = pending.getBytes(2, 2 + len);
      pending = pending.getBuffer(2 + len, pending.length());
      onFrame(frame);
    }
  }

  private void onFrame(byte[] frame) {
    Message response;
    try {
      response = new Message(frame);
    } catch (Exception e) { // dnsjava throws WireParseException, or worse on hostile input
      fail(
          ErrorKind.PROTOCOL,
          "malformed answer over TCP (" + frame.length + " bytes): " + e.getMessage());
      return;
    }
    String why = DnsMessages.mismatch(query, response);
    if (why != null) {
      mismatch = why;
      return;
    }
    double firstByte = Timings.millisBetween(sentAt, firstByteAt);
    promise.tryComplete(
        new DnsExchange(response, "tcp", connectMs, firstByte, frame.length, false));
  }

  private void fail(ErrorKind kind, String detail) {
    promise.tryFail(new DnsProbeException(kind, detail));
  }
}
