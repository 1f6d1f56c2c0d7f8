package io.quorate.probe.dns;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
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
  /** RFC 1035 §4.1.1: a message starts with a 12-byte header, the ID in its first two bytes. */
  static final int HEADER_BYTES = EncodedQuery.HEADER_BYTES;

  private final InetSocketAddress server;
  private final EncodedQuery query;
  private final Promise<DnsExchange> promise = Promise.promise();
  private final AtomicInteger foreign = new AtomicInteger();
  private final AtomicInteger runts = new AtomicInteger();
  private volatile String mismatch;
  private volatile long sentAt;
  private volatile int id;
  private byte[] wire;
  private SharedUdpSocket owner;
  private ScheduledFuture<?> timer;

  UdpExchange(InetSocketAddress server, EncodedQuery query) {
    this.server = server;
    this.query = query;
    this.id = query.templateId();
  }

  InetSocketAddress server() {
    return server;
  }

  EncodedQuery query() {
    return query;
  }

  /** Sends under {@code id} (chosen by the socket; the template's own ID when it must stay). */
  void assign(int id) {
    this.id = id;
    this.wire = query.wireWithId(id);
  }

  int id() {
    return id;
  }

  /** The query on the wire under this exchange's ID (after {@link #assign}). */
  byte[] wire() {
    return wire;
  }

  /** On a shared socket: released from it, and its deadline timer cancelled, when done. */
  void ownedBy(SharedUdpSocket socket, ScheduledFuture<?> deadline) {
    this.owner = socket;
    this.timer = deadline;
  }

  Future<DnsExchange> future() {
    return promise.future();
  }

  boolean isDone() {
    return promise.future().isComplete();
  }

  void sent(long nanos) {
    sentAt = nanos;
  }

  /** A datagram from this exchange's server that is too short to carry an ID. */
  void noteRunt() {
    runts.incrementAndGet();
  }

  /** A datagram from this exchange's server under an ID nobody is waiting for. */
  void noteWrongId(int otherId) {
    mismatch = "wrong ID " + otherId;
  }

  /** One datagram received on the query's socket, from {@code sender}. */
  void onPacket(InetSocketAddress sender, byte[] bytes) {
    long now = System.nanoTime();
    if (!server.equals(sender)) { // address and port (both resolved: no lookup)
      foreign.incrementAndGet();
      return;
    }
    if (bytes.length < HEADER_BYTES) { // no ID to match: cannot be our answer (RFC 5452 §9.1)
      noteRunt();
      return;
    }
    int got = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
    if (got != id) {
      noteWrongId(got);
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
    String why = DnsMessages.mismatch(id, query.questionRecord(), response);
    if (why != null) {
      mismatch = why;
      return;
    }
    double firstByte = Timings.millisBetween(sentAt, now);
    if (promise.tryComplete(
        new DnsExchange(response, "udp", null, firstByte, bytes.length, false))) {
      done();
    }
  }

  /**
   * Whether an unparseable datagram carries exactly one question equal to ours, compared on the
   * wire (the question name is the first in a message, so it is never compressed): ASCII case
   * folded in the name (RFC 4343; label length bytes are below 64, never letters), type and class
   * exact.
   */
  private boolean echoesQuestion(byte[] in) {
    byte[] question = query.question();
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
    if (promise.tryFail(DnsProbeException.of("udp", t))) {
      done();
    }
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
    if (promise.tryFail(new DnsProbeException(kind, detail))) {
      done();
    }
  }

  /** Runs once, on completion: on a shared socket, frees the ID and cancels the deadline. */
  private void done() {
    if (timer != null) {
      timer.cancel(false);
    }
    if (owner != null) {
      owner.release(this);
    }
  }
}
