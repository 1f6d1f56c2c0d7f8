package io.quorate.probe.dns;

import io.netty.util.NetUtil;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;

/**
 * Waits for the one datagram that answers a query: from the server's address and port, with our ID
 * and question. Anything else (another sender, a runt shorter than a header, another ID or
 * question) is counted and ignored until the deadline (RFC 5452 §9.1), so a spoofed or stray
 * datagram cannot end the probe early; a malformed answer from the server with our ID and question
 * is a protocol error.
 */
final class UdpExchange {
  private final byte[] serverIp;
  private final int serverPort;

  /** RFC 1035 §4.1.1: a message starts with a 12-byte header, the ID in its first two bytes. */
  static final int HEADER_BYTES = 12;

  private final Message query;
  private final byte[] wire;
  private final byte[] question;
  private final Promise<DnsExchange> promise = Promise.promise();
  private final AtomicInteger foreign = new AtomicInteger();
  private final AtomicInteger runts = new AtomicInteger();
  private volatile String mismatch;
  private volatile long sentAt;

  UdpExchange(String serverIp, int serverPort, Message query) {
    this.serverIp = NetUtil.createByteArrayFromIpAddressString(serverIp);
    this.serverPort = serverPort;
    this.query = query;
    this.wire = query.toWire(); // header and the one question: nothing else in our queries
    this.question = Arrays.copyOfRange(wire, HEADER_BYTES, wire.length);
  }

  /** The server's address as bytes, or {@code null} when {@code serverIp} is not an IP literal. */
  byte[] serverIp() {
    return serverIp;
  }

  /** The query on the wire, encoded once. */
  byte[] wire() {
    return wire;
  }

  Future<DnsExchange> future() {
    return promise.future();
  }

  void sent(long nanos) {
    sentAt = nanos;
  }

  /** One datagram received on the query's socket, from {@code sender}. */
  void onPacket(InetSocketAddress sender, byte[] bytes) {
    long now = System.nanoTime();
    if (!fromServer(sender)) {
      foreign.incrementAndGet();
      return;
    }
    if (bytes.length < HEADER_BYTES) { // no ID to match: cannot be our answer (RFC 5452 §9.1)
      runts.incrementAndGet();
      return;
    }
    int id = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
    if (id != query.getHeader().getID()) {
      mismatch = "wrong ID " + id;
      return;
    }
    Message response;
    try {
      response = new Message(bytes);
    } catch (Exception e) { // dnsjava throws WireParseException, or worse on hostile input
      if (echoesQuestion(bytes)) { // ID and question match: the server's own broken answer
        fail(ErrorKind.PROTOCOL, "malformed answer: " + e.getMessage());
      } else {
        mismatch = "malformed, without our question";
      }
      return;
    }
    String why = DnsMessages.mismatch(query, response);
    if (why != null) {
      mismatch = why;
      return;
    }
    double firstByte = Timings.millisBetween(sentAt, now);
    promise.tryComplete(new DnsExchange(response, "udp", null, firstByte, bytes.length, false));
  }

  /**
   * Whether an unparseable datagram carries exactly one question equal to ours, compared on the
   * wire (the question name is the first in a message, so it is never compressed): ASCII case
   * folded in the name (RFC 4343; label length bytes are below 64, never letters), type and class
   * exact.
   */
  private boolean echoesQuestion(byte[] in) {
    int qdcount = ((in[4] & 0xff) << 8) | (in[5] & 0xff);
    if (qdcount != 1 || in.length < HEADER_BYTES + question.length) {
      return false;
    }
    for (int i = 0; i < question.length; i++) {
      byte a = in[HEADER_BYTES + i];
      byte b = question[i];
      boolean inName = i < question.length - 4;
      if (a != b && !(inName && Character.toLowerCase(a) == Character.toLowerCase(b))) {
        return false;
      }
    }
    return true;
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
    int r = runts.get();
    if (r > 0) {
      d.append(" (ignored ").append(r).append(" runt datagram(s))");
    }
    fail(ErrorKind.TIMEOUT, d.toString());
  }

  private void fail(ErrorKind kind, String detail) {
    promise.tryFail(new DnsProbeException(kind, detail));
  }

  private boolean fromServer(InetSocketAddress sender) {
    if (sender == null || sender.getPort() != serverPort || sender.getAddress() == null) {
      return false;
    }
    return Arrays.equals(sender.getAddress().getAddress(), serverIp);
  }
}
