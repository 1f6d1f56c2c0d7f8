package io.quorate.dns.auth;

import io.quorate.dns.Records;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Sends NOTIFY (RFC 1996) for every zone change to the zone's secondaries over UDP, signed with the
 * zone's key when it has one, until each acknowledges (NOERROR, with a valid TSIG when signed) or
 * {@link #MAX_TRIES} sends went unanswered, waiting twice as long before each retry (RFC 1996
 * §3.6). A newer change replaces a pending NOTIFY of the same zone and server. Runs on the context
 * it was started on; {@link #changed} may be called from any thread.
 */
final class NotifySender {
  private static final Logger LOG = LoggerFactory.getLogger(NotifySender.class);
  static final int MAX_TRIES = 5;

  private final Vertx vertx;
  private final ZoneKeys keys;
  private final Map<Name, List<String>> secondaries;
  private final AuthMetrics metrics;
  private final long firstRetryMs;
  private final Map<String, Attempt> inFlight = new HashMap<>();
  private Context context;
  private DatagramSocket socket;

  /** One NOTIFY to one secondary, and its retries. */
  private static final class Attempt {
    final String zone;
    final String server;
    final String key;
    final Message message;
    final byte[] wire;
    final TSIGRecord tsig;
    int tries;
    long timer = -1;

    Attempt(String zone, String server, Message message) {
      this.zone = zone;
      this.server = server;
      this.key = server + "/" + zone;
      this.message = message;
      this.wire = message.toWire();
      this.tsig = message.getTSIG();
    }
  }

  NotifySender(
      Vertx vertx,
      ZoneKeys keys,
      Map<Name, List<String>> secondaries,
      AuthMetrics metrics,
      long firstRetryMs) {
    this.vertx = vertx;
    this.keys = keys;
    this.secondaries = Map.copyOf(secondaries);
    this.metrics = metrics;
    this.firstRetryMs = firstRetryMs;
  }

  /** Binds the sending socket on {@code host} (our address is what secondaries check). */
  Future<Void> start(String host) {
    context = vertx.getOrCreateContext();
    socket = vertx.createDatagramSocket();
    socket.handler(this::onAnswer);
    return socket.listen(0, host).mapEmpty();
  }

  Future<Void> stop() {
    inFlight.values().forEach(a -> vertx.cancelTimer(a.timer));
    inFlight.clear();
    DatagramSocket s = socket;
    socket = null; // the store keeps calling changed(): ignore it from now on
    return s == null ? Future.succeededFuture() : s.close();
  }

  /** Zone listener: NOTIFY every secondary of {@code zone}. */
  void changed(ZoneSnapshot zone) {
    if (context != null && secondaries.containsKey(zone.origin())) {
      context.runOnContext(v -> notifyAll(zone));
    }
  }

  private void notifyAll(ZoneSnapshot zone) {
    if (socket == null) {
      return;
    }
    for (String server : secondaries.get(zone.origin())) {
      Attempt a = new Attempt(Records.text(zone.origin()), server, message(zone));
      Attempt old = inFlight.put(a.key, a);
      if (old != null) {
        vertx.cancelTimer(old.timer);
      }
      send(a);
    }
  }

  private Message message(ZoneSnapshot zone) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(Record.newRecord(zone.origin(), Type.SOA, DClass.IN), Section.QUESTION);
    m.addRecord(zone.soa(), Section.ANSWER); // RFC 1996 §3.7: the new SOA as a hint
    TSIG key = keys.of(zone.origin());
    if (key != null) {
      key.apply(m, null);
    }
    return m;
  }

  private void send(Attempt a) {
    if (socket == null || inFlight.get(a.key) != a) {
      return; // acknowledged or replaced meanwhile
    }
    if (a.tries == MAX_TRIES) {
      inFlight.remove(a.key);
      metrics.notify(a.zone, "failed");
      LOG.warn(
          "auth notify zone={} server={} outcome=unanswered tries={}", a.zone, a.server, a.tries);
      return;
    }
    a.tries++;
    int colon = a.server.lastIndexOf(':');
    String host = a.server.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(a.server.substring(colon + 1));
    socket.send(Buffer.buffer(a.wire), port, host);
    long delay = firstRetryMs << (a.tries - 1);
    a.timer = vertx.setTimer(delay, id -> send(a));
  }

  private void onAnswer(DatagramPacket p) {
    Message m;
    byte[] wire = p.data().getBytes();
    try {
      m = new Message(wire);
    } catch (Exception e) { // WireParseException or worse on hostile input: not an answer
      return;
    }
    Attempt a = match(m, p);
    if (a == null) {
      return;
    }
    TSIG key = keys.of(Records.name(a.zone));
    if (key != null && key.verify(m, wire, a.tsig) != Rcode.NOERROR) {
      return; // unverifiable: keep waiting (RFC 8945 §5.3)
    }
    inFlight.remove(a.key);
    vertx.cancelTimer(a.timer);
    boolean ok = m.getRcode() == Rcode.NOERROR;
    metrics.notify(a.zone, ok ? "acked" : "error");
    String outcome = ok ? "acknowledged" : Rcode.string(m.getRcode());
    LOG.info(
        "auth notify zone={} server={} outcome={} tries={}", a.zone, a.server, outcome, a.tries);
  }

  private Attempt match(Message m, DatagramPacket p) {
    if (!m.getHeader().getFlag(Flags.QR) || m.getHeader().getOpcode() != Opcode.NOTIFY) {
      return null;
    }
    for (Attempt a : inFlight.values()) {
      String from = p.sender().hostAddress() + ":" + p.sender().port();
      if (a.message.getHeader().getID() == m.getHeader().getID() && sameServer(a.server, from)) {
        return a;
      }
    }
    return null;
  }

  private static boolean sameServer(String configured, String from) {
    return configured.replace("[", "").replace("]", "").equalsIgnoreCase(from);
  }
}
