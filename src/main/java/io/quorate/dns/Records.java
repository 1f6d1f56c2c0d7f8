package io.quorate.dns;

import io.netty.util.NetUtil;
import io.quorate.failover.RRset;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Conversions between the presentation form of {@link RRset} (absolute lower-case names without the
 * trailing dot, {@code "10 host"} for MX) and dnsjava records.
 */
public final class Records {
  private Records() {}

  /**
   * An absolute name. dnsjava's one-argument {@code Name.fromString("rr.example.test")} gives a
   * RELATIVE name, which then fails to render inside an UPDATE: always parse against the root.
   */
  public static Name name(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw invalid("invalid name '" + text + "'");
    }
  }

  /** A type mnemonic ({@code A}, {@code MX}, …). */
  public static int type(String text) {
    int t = text == null ? -1 : Type.value(text.toUpperCase(Locale.ROOT));
    if (t < 0) {
      throw invalid("unknown type '" + text + "'");
    }
    return t;
  }

  /** The presentation-form name: lower-case, without the trailing dot. */
  public static String text(Name name) {
    String s = name.toString(true).toLowerCase(Locale.ROOT);
    return s.isEmpty() ? "." : s;
  }

  /**
   * A record of class IN parsed from {@code value}; names in the value are taken as absolute
   * (members are configured without the trailing dot).
   */
  public static Record record(Name owner, int type, long ttl, String value) {
    try {
      return Record.fromString(owner, type, DClass.IN, ttl, value, Name.root);
    } catch (IOException | RuntimeException e) {
      throw invalid("invalid " + Type.string(type) + " value '" + value + "': " + e.getMessage());
    }
  }

  /** The records of an RRset with the given TTL (0 for RFC 2136 §2.4.2 prerequisites). */
  public static List<Record> records(RRset set, long ttl) {
    Name owner = name(set.name());
    int type = type(set.type());
    return set.values().stream().map(v -> record(owner, type, ttl, v)).toList();
  }

  /** The RDATA of {@code r} in the form {@link RRset} values use. */
  public static String value(Record r) {
    if (r instanceof ARecord a) {
      return NetUtil.toAddressString(a.getAddress());
    }
    if (r instanceof AAAARecord a) {
      return NetUtil.toAddressString(a.getAddress()); // RFC 5952 canonical text
    }
    if (r instanceof CNAMERecord c) {
      return text(c.getTarget());
    }
    if (r instanceof MXRecord m) {
      return m.getPriority() + " " + text(m.getTarget());
    }
    if (r instanceof NSRecord n) {
      return text(n.getTarget());
    }
    if (r instanceof TXTRecord t) {
      return String.join("", t.getStrings());
    }
    return r.rdataToString();
  }

  /**
   * The RRset {@code owner}/{@code type} in the answer section of {@code response} (no CNAME
   * chasing); empty when there is none. Its TTL is the smallest of its records'.
   */
  static RRset rrset(Message response, String owner, String type) {
    Name name = name(owner);
    int t = type(type);
    Set<String> values = new TreeSet<>();
    long ttl = Long.MAX_VALUE;
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r.getType() == t && r.getName().equals(name)) {
        values.add(value(r));
        ttl = Math.min(ttl, r.getTTL());
      }
    }
    String n = text(name);
    String ty = Type.string(t);
    return values.isEmpty() ? RRset.empty(n, ty) : new RRset(n, ty, ttl, values);
  }

  /**
   * The dnsjava TSIG key of {@code t}: hmac-sha256 / 384 / 512; hmac-md5 and hmac-sha1 only with
   * {@code allowWeak} (RFC 8945 §6). Shared by the RFC 2136 client and the embedded server.
   *
   * @throws IllegalArgumentException when the algorithm is not allowed or the secret is unusable;
   *     the message never quotes the secret (dnsjava's may)
   */
  public static org.xbill.DNS.TSIG tsig(io.quorate.config.DnsZone.Tsig t) {
    String alg = tsigAlgorithm(t);
    Name algName =
        switch (alg) {
          case "hmac-sha256" -> org.xbill.DNS.TSIG.HMAC_SHA256;
          case "hmac-sha384" -> org.xbill.DNS.TSIG.HMAC_SHA384;
          case "hmac-sha512" -> org.xbill.DNS.TSIG.HMAC_SHA512;
          case "hmac-sha1" -> t.allowWeak() ? org.xbill.DNS.TSIG.HMAC_SHA1 : null;
          case "hmac-md5" -> t.allowWeak() ? org.xbill.DNS.TSIG.HMAC_MD5 : null;
          default -> null;
        };
    if (algName == null) {
      throw new IllegalArgumentException("TSIG algorithm '" + alg + "' not allowed");
    }
    try {
      return new org.xbill.DNS.TSIG(algName, name(t.name()), t.secret().reveal());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("TSIG key " + t.name() + " has an invalid base64 secret");
    }
  }

  /** The key's algorithm, lower-case ({@code hmac-sha256} when not configured). */
  public static String tsigAlgorithm(io.quorate.config.DnsZone.Tsig t) {
    return (t.algorithm() == null
            ? io.quorate.config.DnsZone.Tsig.DEFAULT_ALGORITHM
            : t.algorithm())
        .toLowerCase(Locale.ROOT);
  }

  private static DnsUpdateException invalid(String detail) {
    return new DnsUpdateException(DnsUpdateException.Kind.PROTOCOL, -1, 0, detail);
  }
}
