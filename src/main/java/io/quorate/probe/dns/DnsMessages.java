package io.quorate.probe.dns;

import io.quorate.probe.ErrorKind;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Building queries and checking that an answer belongs to them (dnsjava wire format only). */
public final class DnsMessages {
  /** Query IDs must be unpredictable (RFC 5452 §4.3: ID and source port are the defence). */
  private static final Random IDS = new SecureRandom();

  private DnsMessages() {}

  /** Parses an absolute or root-relative name; an invalid one is a bad check (INTERNAL). */
  public static Name name(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw new DnsProbeException(ErrorKind.INTERNAL, "invalid name " + e.getMessage());
    }
  }

  /** Parses a type mnemonic such as {@code A} or {@code SOA}. */
  public static int type(String text) {
    int t = text == null ? -1 : Type.value(text.toUpperCase(Locale.ROOT));
    if (t < 0) {
      throw new DnsProbeException(ErrorKind.INTERNAL, "unknown query type '" + text + "'");
    }
    return t;
  }

  /** Parses an RCODE mnemonic such as {@code NOERROR} or {@code NXDOMAIN}. */
  public static int rcode(String text) {
    int r = text == null ? -1 : Rcode.value(text.toUpperCase(Locale.ROOT));
    if (r < 0) {
      throw new DnsProbeException(ErrorKind.INTERNAL, "unknown rcode '" + text + "'");
    }
    return r;
  }

  /**
   * A plain RFC 1035 query (no EDNS, so UDP answers over 512 bytes come back truncated and are
   * retried over TCP) with a fresh random ID; RD only when asked for.
   */
  public static Message query(Name name, int type, boolean recursionDesired) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    q.getHeader().setID(IDS.nextInt(0x10000));
    if (!recursionDesired) {
      q.getHeader().unsetFlag(Flags.RD);
    }
    return q;
  }

  /** A random query ID (RFC 5452 §4.3). */
  static int randomId() {
    return IDS.nextInt(0x10000);
  }

  /** The same question under a new random ID, for a retry over another transport. */
  public static Message withNewId(Message query) {
    Message copy = query.clone();
    copy.getHeader().setID(IDS.nextInt(0x10000));
    return copy;
  }

  /**
   * Why {@code response} is not the answer to {@code query} (wrong ID, not a response, another
   * question), or {@code null} when it is. Such answers are ignored, not believed (RFC 5452 §9.1).
   */
  public static String mismatch(Message query, Message response) {
    return mismatch(query.getHeader().getID(), query.getQuestion(), response);
  }

  /** {@link #mismatch(Message, Message)} for a query sent under {@code id} asking {@code ours}. */
  static String mismatch(int queryId, Record ours, Message response) {
    int id = response.getHeader().getID();
    if (id != queryId) {
      return "wrong ID " + id + " (expected " + queryId + ")";
    }
    if (!response.getHeader().getFlag(Flags.QR)) {
      return "QR flag clear (a query, not an answer)";
    }
    if (response.getHeader().getOpcode() != Opcode.QUERY) {
      return "opcode " + Opcode.string(response.getHeader().getOpcode());
    }
    Record theirs = response.getQuestion();
    if (theirs == null) {
      // RFC 1035 does not require error answers (e.g. FORMERR, NOTIMP) to echo the question.
      return response.getRcode() == Rcode.NOERROR ? "no question in the answer" : null;
    }
    if (response.getSection(Section.QUESTION).size() != 1
        || !theirs.getName().equals(ours.getName())
        || theirs.getType() != ours.getType()
        || theirs.getDClass() != ours.getDClass()) {
      return "question " + describe(theirs) + " does not echo " + describe(ours);
    }
    return null;
  }

  /** Records of {@code type} owned by {@code owner} in the answer section (no CNAME chasing). */
  public static List<Record> rrset(Message response, Name owner, int type) {
    return response.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type && r.getName().equals(owner))
        .toList();
  }

  private static String describe(Record q) {
    return q.getName() + " " + DClass.string(q.getDClass()) + " " + Type.string(q.getType());
  }
}
