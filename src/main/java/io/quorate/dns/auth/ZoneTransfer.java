package io.quorate.dns.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Full (AXFR, RFC 5936) and incremental (IXFR, RFC 1995) zone transfers over TCP: the records of
 * one snapshot or journal, split into messages of at most {@link #CHUNK_BYTES}, the SOA first and
 * last, each message signed per RFC 8945 §5.3.1 when the request was.
 */
final class ZoneTransfer {
  /** Records per message are added until the message reaches about this size (< 65535). */
  static final int CHUNK_BYTES = 16_000;

  /** What a transfer answered: its messages and whether an IXFR fell back to the whole zone. */
  record Result(List<Message> messages, boolean full) {}

  private ZoneTransfer() {}

  /** RFC 5936 §2.2: SOA, every other record, SOA. */
  static Result axfr(ZoneSnapshot zone, Message query, TSIG key, TSIGRecord queryTsig) {
    List<Record> all = zone.records();
    all.add(zone.soa());
    return new Result(sign(chunks(query, all), key, queryTsig), true);
  }

  /**
   * RFC 1995 §4: the current SOA alone when the client is current (or ahead, RFC 1982); the
   * journal's differences when it reaches back to {@code clientSerial}; else the whole zone in AXFR
   * form (allowed by RFC 1995 §4).
   */
  static Result ixfr(
      ZoneStore store,
      ZoneSnapshot zone,
      long clientSerial,
      Message query,
      TSIG key,
      TSIGRecord queryTsig) {
    if (notOlder(clientSerial, zone.serial())) {
      return new Result(sign(chunks(query, List.of(zone.soa())), key, queryTsig), false);
    }
    Optional<List<ZoneStore.Diff>> diffs = store.since(zone.origin(), clientSerial);
    ZoneSnapshot current = store.zone(zone.origin()).orElse(zone);
    if (diffs.isEmpty()) {
      return axfr(current, query, key, queryTsig);
    }
    if (diffs.get().isEmpty()) {
      return new Result(sign(chunks(query, List.of(current.soa())), key, queryTsig), false);
    }
    List<Record> out = new ArrayList<>();
    SOARecord last = zone.soa();
    for (ZoneStore.Diff d : diffs.get()) {
      out.add(d.from());
      out.addAll(d.removed());
      out.add(d.to());
      out.addAll(d.added());
      last = d.to();
    }
    out.add(0, last); // the version the differences lead to, first and last
    out.add(last);
    return new Result(sign(chunks(query, out), key, queryTsig), false);
  }

  /** Whether {@code a} >= {@code b} in RFC 1982 serial arithmetic (32 bits). */
  static boolean notOlder(long a, long b) {
    long diff = (a - b) & 0xFFFFFFFFL;
    return diff < 0x80000000L;
  }

  private static List<Message> chunks(Message query, List<Record> records) {
    List<Message> out = new ArrayList<>();
    Message m = start(query, true);
    int size = 12 + query.getQuestion().getName().length() + 4;
    for (Record r : records) {
      int len = r.toWire(Section.ANSWER).length;
      if (size + len > CHUNK_BYTES && !m.getSection(Section.ANSWER).isEmpty()) {
        out.add(m);
        m = start(query, false);
        size = 12;
      }
      m.addRecord(r, Section.ANSWER);
      size += len;
    }
    out.add(m);
    return out;
  }

  private static Message start(Message query, boolean first) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setOpcode(Opcode.QUERY);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    if (first) {
      m.addRecord(query.getQuestion(), Section.QUESTION); // RFC 5936 §2.2.1: later ones may omit it
    }
    return m;
  }

  private static List<Message> sign(List<Message> messages, TSIG key, TSIGRecord queryTsig) {
    if (key == null || queryTsig == null) {
      return messages;
    }
    TSIG.StreamGenerator gen = new TSIG.StreamGenerator(key, queryTsig);
    messages.forEach(gen::generate); // RFC 8945 §5.3.1: every message, MAC chained
    return messages;
  }
}
