package io.quorate.dns.auth;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The authoritative part of RFC 1034 §4.3.2 over one {@link ZoneSnapshot}: answers, CNAME chains
 * inside the zone, referrals at delegations, negative answers with the SOA (RFC 2308), and
 * wildcards (RFC 4592: a name that does not exist, not even as an empty non-terminal, is answered
 * from {@code *.<closest encloser>} with the query name as owner). No DNSSEC. Pure: fills a
 * response {@link Message} and returns its RCODE.
 */
final class ZoneLookup {
  /**
   * CNAMEs followed inside the zone before the chain is answered as it stands (RFC 1034 §3.6.2).
   */
  static final int MAX_CNAME_CHAIN = 8;

  private ZoneLookup() {}

  /**
   * Answers {@code qname}/{@code qtype} from {@code zone} into {@code response} (answer, authority,
   * additional sections and the AA flag).
   *
   * @return the RCODE: NOERROR (answer, NODATA or referral) or NXDOMAIN
   */
  static int answer(ZoneSnapshot zone, Name qname, int qtype, Message response) {
    Name name = qname;
    Set<Name> seen = null; // only a CNAME chain needs one: most answers take no hop
    for (int hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
      if (hop > 0) {
        if (seen == null) {
          seen = new HashSet<>();
          seen.add(qname.canonicalize());
        }
        if (!seen.add(name.canonicalize())) {
          break;
        }
      }
      RRset cut = zone.delegation(name);
      if (cut != null) {
        if (hop > 0) {
          response.getHeader().setFlag(Flags.AA); // the CNAMEs before the cut are ours
        }
        referral(zone, cut, response); // RFC 1034 §4.3.2 step 3b
        return Rcode.NOERROR;
      }
      response.getHeader().setFlag(Flags.AA);
      Map<Integer, RRset> node = zone.at(name);
      boolean exists = !node.isEmpty() || zone.exists(name);
      if (!exists) {
        Map<Integer, RRset> source = wildcard(zone, name); // RFC 4592 §3.3.1
        exists = source != null; // a source without data (an empty non-terminal) is NODATA
        node = source == null ? Map.of() : source;
      }
      Name owner = hop == 0 ? qname : name; // keep the query's 0x20 case on the first owner
      if (qtype == Type.ANY && !node.isEmpty()) {
        node.values().forEach(set -> add(response, set, owner, Section.ANSWER));
        return Rcode.NOERROR;
      }
      RRset set = node.get(qtype);
      if (set != null) {
        add(response, set, owner, Section.ANSWER);
        return Rcode.NOERROR;
      }
      RRset cname = node.get(Type.CNAME);
      if (cname == null) {
        negative(zone, response);
        return exists ? Rcode.NOERROR : Rcode.NXDOMAIN; // NODATA or NXDOMAIN
      }
      add(response, cname, owner, Section.ANSWER); // RFC 1034 §4.3.2 step 3a
      name = ((CNAMERecord) cname.first()).getTarget();
      if (!zone.contains(name)) {
        return Rcode.NOERROR; // the resolver continues elsewhere
      }
    }
    return Rcode.NOERROR; // a CNAME loop or a long chain: what we have (RFC 1034 §3.6.2)
  }

  /**
   * The RRsets of the source of synthesis for a {@code name} that does not exist: {@code *} below
   * its closest encloser (the nearest ancestor that exists, RFC 4592 §3.3.1; empty when the source
   * exists only as an empty non-terminal), or {@code null} when there is no source. A wildcard
   * never matches across an existing name, so {@code *.a} does not answer for {@code x.b.a} when
   * {@code b.a} exists.
   */
  private static Map<Integer, RRset> wildcard(ZoneSnapshot zone, Name name) {
    for (Name a = new Name(name, 1); a.subdomain(zone.origin()); a = new Name(a, 1)) {
      if (zone.exists(a)) {
        try {
          Name source = Name.concatenate(WILD, a);
          return zone.exists(source) ? zone.at(source) : null;
        } catch (org.xbill.DNS.NameTooLongException e) {
          return null; // a 254-octet encloser cannot have a child
        }
      }
    }
    return null;
  }

  private static final Name WILD = wild();

  private static Name wild() {
    try {
      return Name.fromString("*");
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void referral(ZoneSnapshot zone, RRset cut, Message response) {
    add(response, cut, cut.getName(), Section.AUTHORITY);
    for (Record r : cut.rrs(false)) {
      Name host = ((NSRecord) r).getTarget();
      if (!zone.contains(host)) {
        continue;
      }
      for (int type : new int[] {Type.A, Type.AAAA}) {
        RRset glue = zone.get(host, type);
        if (glue != null) {
          add(response, glue, glue.getName(), Section.ADDITIONAL);
        }
      }
    }
  }

  /** RFC 2308 §3: the SOA in authority, TTL = min(SOA TTL, SOA MINIMUM). */
  private static void negative(ZoneSnapshot zone, Message response) {
    SOARecord soa = zone.soa();
    long ttl = Math.min(soa.getTTL(), soa.getMinimum());
    response.addRecord(
        new SOARecord(
            soa.getName(),
            soa.getDClass(),
            ttl,
            soa.getHost(),
            soa.getAdmin(),
            soa.getSerial(),
            soa.getRefresh(),
            soa.getRetry(),
            soa.getExpire(),
            soa.getMinimum()),
        Section.AUTHORITY);
  }

  private static void add(Message response, RRset set, Name owner, int section) {
    // the zone's owners are lower-case: a lower-case query name needs no copy (issue #5 profile)
    boolean lower = owner.canonicalize() == owner;
    for (Record r : set.rrs(false)) {
      // a different case of the owner, or an owner synthesized from a wildcard (RFC 4592 §3.4)
      boolean copy = !lower || !owner.equals(r.getName());
      response.addRecord(copy ? r.withName(owner) : r, section);
    }
  }
}
