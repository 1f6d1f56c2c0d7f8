package io.quorate.dns.auth;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Turns one query's bytes into the response's bytes, or nothing: the authoritative server minus the
 * sockets. Pure apart from reading the current {@link ZoneSnapshot}; never throws.
 *
 * <ul>
 *   <li>Dropped: shorter than a header, or QR set (never answer a response: no loops).
 *   <li>NOTIMP: any opcode but QUERY (NOTIFY included: a primary ignores them, RFC 1996).
 *   <li>FORMERR: unparsable (bad labels, compression loops, truncated), trailing bytes, QDCOUNT not
 *       1, OPT outside the additional section or twice (RFC 6891 §6.1.1), meta query types, an AXFR
 *       over UDP, an IXFR without the client's SOA (RFC 1995 §3).
 *   <li>REFUSED: names outside our zones (no recursion: RA clear, RD copied), classes but IN,
 *       transfers not signed with the zone's key.
 *   <li>NOTAUTH + TSIG error (RFC 8945 §5.2): BADKEY, BADSIG, BADTIME.
 *   <li>BADVERS: EDNS version above 0 (RFC 6891 §6.1.3).
 * </ul>
 */
public final class QueryResponder {
  private static final Logger LOG = LoggerFactory.getLogger(QueryResponder.class);

  /** The EDNS UDP payload we advertise and never exceed (DNS flag day 2020). */
  public static final int OUR_UDP_PAYLOAD = 1232;

  /** UDP payload without EDNS (RFC 1035 §4.2.1), and the floor of an advertised one. */
  public static final int MIN_UDP_PAYLOAD = 512;

  public static final int MAX_MESSAGE = 65_535;

  /** How the query arrived. */
  public enum Transport {
    UDP,
    TCP
  }

  /**
   * The outcome of one query.
   *
   * @param messages the response messages in order (several for a transfer), empty = drop
   * @param query the parsed query, or {@code null} when it could not be parsed
   * @param zone the apex of the zone the query was for (presentation form), or {@code null}
   * @param rcode the (extended) RCODE answered, -1 when dropped
   * @param transfer {@code axfr}, {@code ixfr}, {@code ixfr-full} or {@code null}
   */
  public record Reply(
      List<byte[]> messages, Message query, String zone, int rcode, String transfer) {
    static final Reply DROP = new Reply(List.of(), null, null, -1, null);

    public boolean dropped() {
      return messages.isEmpty();
    }
  }

  private final ZoneStore store;
  private final ZoneKeys keys;

  public QueryResponder(ZoneStore store, ZoneKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  /** The response to {@code wire}, received over {@code transport}. */
  public Reply respond(byte[] wire, Transport transport) {
    if (wire.length < Header.LENGTH) {
      return Reply.DROP;
    }
    // QR and opcode straight from the second flags byte (RFC 1035 §4.1.1): parsing a Header here
    // and the Message again below cost ~5 % of the UDP path (issue #5 profile)
    if ((wire[2] & 0x80) != 0) {
      return Reply.DROP;
    }
    if (((wire[2] >>> 3) & 0xF) != Opcode.QUERY) {
      return headerOnly(wire, Rcode.NOTIMP);
    }
    try {
      return query(wire, transport);
    } catch (RuntimeException e) { // a bug must not take the server down: answer SERVFAIL
      LOG.debug("auth query failed id={} error={}", id(wire), e.toString());
      return headerOnly(wire, Rcode.SERVFAIL);
    }
  }

  private Reply query(byte[] wire, Transport transport) {
    Message q;
    try {
      q = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return headerOnly(wire, Rcode.FORMERR);
    }
    if (!wellFormed(q, wire)) {
      return headerOnly(wire, Rcode.FORMERR);
    }
    Record question = q.getQuestion();
    OPTRecord opt = q.getOPT();
    if (opt != null && opt.getVersion() > 0) {
      return new Reply(List.of(render(base(q, Rcode.BADVERS), q, transport)), q, null, 16, null);
    }
    int qtype = question.getType();
    if (qtype == Type.OPT || qtype == Type.TSIG || qtype == Type.TKEY) { // meta: RFC 6895 §3.1
      return simple(q, Rcode.FORMERR, null, transport);
    }
    Optional<ZoneSnapshot> found = store.find(question.getName());
    ZoneSnapshot z = found.orElse(null);
    String zone = z == null ? null : z.originText();
    TSIG key = null;
    TSIGRecord qtsig = q.getTSIG();
    if (qtsig != null) {
      key = z == null ? null : keys.of(z.origin());
      int error = key == null ? Rcode.BADKEY : key.verify(q, wire, null);
      if (error != Rcode.NOERROR) {
        byte[] out = TsigErrors.response(base(q, Rcode.NOTAUTH), q, error, keys, found);
        return new Reply(List.of(out), q, zone, Rcode.NOTAUTH, null);
      }
    } // else answer unsigned
    if (z == null || question.getDClass() != DClass.IN) {
      return signed(q, base(q, Rcode.REFUSED), transport, key, zone);
    }
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return transfer(q, z, transport, key);
    }
    Message r = base(q, Rcode.NOERROR);
    int rcode = ZoneLookup.answer(z, question.getName(), qtype, r);
    r.getHeader().setRcode(rcode);
    return new Reply(List.of(sign(r, q, transport, key)), q, zone, rcode, null);
  }

  /** RFC 1035 §4.1 and RFC 6891 §6.1.1 checks dnsjava's parser does not make. */
  private static boolean wellFormed(Message q, byte[] wire) {
    if (q.numBytes() != wire.length || q.getHeader().getCount(Section.QUESTION) != 1) {
      return false;
    }
    int opts = 0;
    for (int s = Section.QUESTION; s <= Section.ADDITIONAL; s++) {
      List<Record> records = q.getSection(s);
      if (records.size() != q.getHeader().getCount(s)) {
        return false; // a truncated (TC) query dnsjava half-parsed
      }
      for (Record r : records) {
        if (r.getType() == Type.OPT && (s != Section.ADDITIONAL || ++opts > 1)) {
          return false;
        }
      }
    }
    return true;
  }

  private Reply transfer(Message q, ZoneSnapshot z, Transport transport, TSIG key) {
    String zone = z.originText();
    boolean axfr = q.getQuestion().getType() == Type.AXFR;
    String type = axfr ? "axfr" : "ixfr";
    if (key == null) { // unsigned, or the zone has no key: RFC 5936 §5 (policy)
      return new Reply(
          List.of(render(base(q, Rcode.REFUSED), q, transport)), q, zone, Rcode.REFUSED, type);
    }
    if (!q.getQuestion().getName().equals(z.origin())) {
      return new Reply(
          List.of(sign(base(q, Rcode.NOTAUTH), q, transport, key)), q, zone, Rcode.NOTAUTH, type);
    }
    SOARecord client = axfr ? null : clientSoa(q);
    if (axfr && transport == Transport.UDP || !axfr && client == null) {
      return new Reply(
          List.of(sign(base(q, Rcode.FORMERR), q, transport, key)), q, zone, Rcode.FORMERR, type);
    }
    if (!axfr && transport == Transport.UDP) {
      Message r = base(q, Rcode.NOERROR);
      r.getHeader().setFlag(Flags.AA);
      if (ZoneTransfer.notOlder(client.getSerial(), z.serial())) {
        r.addRecord(z.soa(), Section.ANSWER); // RFC 1995 §2: current, the SOA says so
      } else {
        r.getHeader().setFlag(Flags.TC); // go to TCP for the differences
      }
      return new Reply(List.of(sign(r, q, transport, key)), q, zone, Rcode.NOERROR, type);
    }
    ZoneTransfer.Result t =
        axfr
            ? ZoneTransfer.axfr(z, q, key, q.getTSIG())
            : ZoneTransfer.ixfr(store, z, client.getSerial(), q, key, q.getTSIG());
    List<byte[]> out = new ArrayList<>();
    t.messages().forEach(m -> out.add(m.toWire()));
    return new Reply(out, q, zone, Rcode.NOERROR, axfr ? type : t.full() ? "ixfr-full" : type);
  }

  private static SOARecord clientSoa(Message q) {
    for (Record r : q.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return soa;
      }
    }
    return null;
  }

  /** A response to {@code q}: ID, opcode, RD copied; QR set; the question as asked (0x20). */
  private static Message base(Message q, int rcode) {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setOpcode(Opcode.QUERY);
    r.getHeader().setFlag(Flags.QR);
    if (q.getHeader().getFlag(Flags.RD)) {
      r.getHeader().setFlag(Flags.RD);
    }
    r.getHeader().setRcode(rcode & 0xF);
    r.addRecord(q.getQuestion(), Section.QUESTION);
    if (q.getOPT() != null) { // RFC 6891 §6.1.1: answer EDNS with EDNS, our own payload size
      r.addRecord(new OPTRecord(OUR_UDP_PAYLOAD, rcode >>> 4, 0, 0), Section.ADDITIONAL);
    }
    return r;
  }

  private Reply simple(Message q, int rcode, String zone, Transport transport) {
    return new Reply(List.of(render(base(q, rcode), q, transport)), q, zone, rcode, null);
  }

  private Reply signed(Message q, Message r, Transport transport, TSIG key, String zone) {
    return new Reply(List.of(sign(r, q, transport, key)), q, zone, r.getRcode(), null);
  }

  private static byte[] sign(Message r, Message q, Transport transport, TSIG key) {
    if (key != null) {
      r.setTSIG(key, Rcode.NOERROR, q.getTSIG());
    }
    return render(r, q, transport);
  }

  /** Renders within the transport's limit; over UDP whole RRsets only, then TC (RFC 2181 §9). */
  private static byte[] render(Message r, Message q, Transport transport) {
    return r.toWire(transport == Transport.TCP ? MAX_MESSAGE : udpLimit(q));
  }

  /** RFC 6891 §6.2.5: the client's payload size, at least 512, at most ours. */
  static int udpLimit(Message q) {
    OPTRecord opt = q.getOPT();
    if (opt == null) {
      return MIN_UDP_PAYLOAD;
    }
    return Math.min(OUR_UDP_PAYLOAD, Math.max(MIN_UDP_PAYLOAD, opt.getPayloadSize()));
  }

  /** A header-only response to {@code wire} (at least a header long): ID, opcode and RD copied. */
  private static Reply headerOnly(byte[] wire, int rcode) {
    Message m = new Message(id(wire));
    m.getHeader().setOpcode((wire[2] >>> 3) & 0xF);
    m.getHeader().setFlag(Flags.QR);
    if ((wire[2] & 0x01) != 0) { // RD
      m.getHeader().setFlag(Flags.RD);
    }
    m.getHeader().setRcode(rcode);
    return new Reply(List.of(m.toWire()), null, null, rcode, null);
  }

  private static int id(byte[] wire) {
    return ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
  }
}
