package io.quorate.probe.dns;

import io.netty.util.NetUtil;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;

/**
 * Waits for the one datagram that answers a query: from the server's address and port, with our ID
 * and question. Anything else is counted and ignored until the deadline (RFC 5452 §9.1), so a
 * spoofed or stray datagram cannot end the probe early; a malformed answer from the server with our
 * ID is a protocol error.
 */
final class UdpExchange {
  private final byte[] serverIp;
  private final int serverPort;
  private final Message query;
  private final Promise<DnsExchange> promise = Promise.promise();
  private final AtomicInteger foreign = new AtomicInteger();
  private volatile String mismatch;
  private volatile long sentAt;

  UdpExchange(String serverIp, int serverPort, Message query) {
    this.serverIp = NetUtil.createByteArrayFromIpAddressString(serverIp);
    this.serverPort = serverPort;
    this.query = query;
  }

  Future<DnsExchange> future() {
    return promise.future();
  }

  void sent(long nanos) {
    sentAt = nanos;
  }

  void onPacket(DatagramPacket packet) {
    long now = System.nanoTime();
    if (!fromServer(packet.sender())) {
      foreign.incrementAndGet();
      return;
    }
    Buffer data = packet.data();
    if (data.length() < 12) {
      fail(
          ErrorKind.PROTOCOL,
          "malformed answer: " + data.length() + " bytes, shorter than a header");
      return;
    }
    if (data.getUnsignedShort(0) != query.getHeader().getID()) {
      mismatch = "wrong ID " + data.getUnsignedShort(0);
      return;
    }
    Message response;
    try {
      response = new Message(data.getBytes());
    } catch (Exception e) { // dnsjava throws WireParseException, or worse on hostile input
      fail(ErrorKind.PROTOCOL, "malformed answer: " + e.getMessage());
      return;
    }
    String why = DnsMessages.mismatch(query, response);
    if (why != null) {
      mismatch = why;
      return;
    }
    double firstByte = Timings.millisBetween(sentAt, now);
    promise.tryComplete(new DnsExchange(response, "udp", null, firstByte, data.length(), false));
  }

  void onError(Throwable t) {
    promise.tryFail(DnsProbeException.of("udp", t));
  }

  void onTimeout() {
    StringBuilder d = new StringBuilder("no answer over UDP");
    String m = mismatch;
    if (m != null) {
      d.append(" (ignored a mismatched answer: ").append(m).append(')');
    }
    int f = foreign.get();
    if (f > 0) {
      d.append(" (ignored ").append(f).append(" datagram(s) from another address or port)");
    }
    fail(ErrorKind.TIMEOUT, d.toString());
  }

  private void fail(ErrorKind kind, String detail) {
    promise.tryFail(new DnsProbeException(kind, detail));
  }

  private boolean fromServer(SocketAddress sender) {
    if (sender == null || sender.port() != serverPort || sender.hostAddress() == null) {
      return false;
    }
    byte[] from = NetUtil.createByteArrayFromIpAddressString(sender.hostAddress());
    return from != null && Arrays.equals(from, serverIp);
  }
}
