package io.quorate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Reads a zone's {@code embedded:} block: SOA fields, apex NS, static records, NOTIFY, RRL. */
final class EmbeddedZoneReader {
  static final Set<String> KEYS = Set.of("soa", "nameServers", "records", "notify", "rrl");
  private static final Set<String> SOA_KEYS =
      Set.of("mname", "rname", "ttl", "refresh", "retry", "expire", "minimum");
  private static final Set<String> RECORD_KEYS = Set.of("name", "type", "ttl", "value");
  private static final Set<String> RRL_KEYS = Set.of("responsesPerSecond", "slip");

  /** RFC 2181 §8: TTLs are 31-bit. */
  static final long MAX_TTL = 2_147_483_647L;

  /** Records a zone may hold besides pools (a zone file, not a database). */
  static final int MAX_RECORDS = 10_000;

  private final String zone;

  /**
   * @param zone the zone apex, or {@code null} when it had an error (names are then unchecked)
   */
  EmbeddedZoneReader(String zone) {
    this.zone = zone;
  }

  DnsZone.Embedded read(YamlNode node) {
    int mark = node.errors().count();
    if (!node.requirePresent() || !node.mapping(KEYS)) {
      return null;
    }
    DnsZone.Soa soa = soa(node.get("soa"));
    List<String> ns = nameServers(node.get("nameServers"));
    List<DnsZone.StaticRecord> records = records(node.get("records"));
    List<String> notify = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (YamlNode item : node.get("notify").itemsOrEmpty()) {
      String s = item.requiredString();
      String problem = s == null ? null : Names.hostPortProblem(s);
      if (problem != null) {
        item.error(problem);
      } else if (s != null) {
        Names.unique(item, "secondary", s, seen);
        notify.add(s);
      }
    }
    DnsZone.RateLimit rrl = rrl(node.get("rrl"));
    if (node.errors().since(mark)) {
      return null;
    }
    return new DnsZone.Embedded(soa, ns, records, notify, rrl);
  }

  private DnsZone.Soa soa(YamlNode node) {
    if (!node.requirePresent() || !node.mapping(SOA_KEYS)) {
      return null;
    }
    String mname = host(node.get("mname"), true);
    String rname = host(node.get("rname"), true);
    Long ttl = node.get("ttl").integer(0, MAX_TTL, DnsZone.Soa.DEFAULT_TTL);
    Long refresh = node.get("refresh").integer(1, MAX_TTL, DnsZone.Soa.DEFAULT_REFRESH);
    Long retry = node.get("retry").integer(1, MAX_TTL, DnsZone.Soa.DEFAULT_RETRY);
    Long expire = node.get("expire").integer(1, MAX_TTL, DnsZone.Soa.DEFAULT_EXPIRE);
    Long minimum = node.get("minimum").integer(0, MAX_TTL, DnsZone.Soa.DEFAULT_MINIMUM);
    if (mname == null || rname == null || ttl == null || refresh == null || retry == null) {
      return null;
    }
    if (expire == null || minimum == null) {
      return null;
    }
    return new DnsZone.Soa(mname, rname, ttl, refresh, retry, expire, minimum);
  }

  private static String host(YamlNode node, boolean required) {
    String s = required ? node.requiredString() : node.nonEmptyString();
    if (s == null) {
      return null;
    }
    String problem = Names.dnsNameProblem(s);
    if (problem == null && s.contains("*")) {
      problem = "must be a host name, not a wildcard";
    }
    if (problem != null) {
      node.error(problem);
      return null;
    }
    return Names.normalName(s);
  }

  private static List<String> nameServers(YamlNode node) {
    List<String> out = new ArrayList<>();
    if (!node.requirePresent()) {
      return out;
    }
    List<YamlNode> items = node.items();
    if (items != null && items.isEmpty()) {
      node.error("must name at least one server (one agent per region, typically)");
    }
    Map<String, String> seen = new HashMap<>();
    for (YamlNode item : items == null ? List.<YamlNode>of() : items) {
      String h = host(item, true);
      if (h != null) {
        Names.unique(item, "name server", h, seen);
        out.add(h);
      }
    }
    return out;
  }

  private List<DnsZone.StaticRecord> records(YamlNode node) {
    List<DnsZone.StaticRecord> out = new ArrayList<>();
    List<YamlNode> items = node.itemsOrEmpty();
    if (items.size() > MAX_RECORDS) {
      node.error("has " + items.size() + " records (max " + MAX_RECORDS + ")");
      return out;
    }
    for (YamlNode r : items) {
      DnsZone.StaticRecord rec = record(r);
      if (rec != null) {
        out.add(rec);
      }
    }
    return out;
  }

  private DnsZone.StaticRecord record(YamlNode r) {
    int mark = r.errors().count();
    if (!r.mapping(RECORD_KEYS)) {
      return null;
    }
    String name = ownerName(r.get("name"));
    String type = type(r.get("type"));
    Long ttl = r.get("ttl").integer(0, MAX_TTL, DnsZone.Soa.DEFAULT_TTL);
    String value = r.get("value").requiredString();
    if (r.errors().since(mark) || name == null || type == null || ttl == null) {
      return null;
    }
    if (type.equals("NS") && name.equals(zone)) {
      r.get("type").error("the apex NS RRset comes from embedded.nameServers");
      return null;
    }
    String problem = rdataProblem(name, type, ttl, value);
    if (problem != null) {
      r.get("value").error(problem);
      return null;
    }
    return new DnsZone.StaticRecord(name, type, ttl, value.trim());
  }

  private String ownerName(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    String problem = Names.dnsNameProblem(s);
    if (problem != null) {
      node.error(problem);
      return null;
    }
    String normal = Names.normalName(s);
    if (zone != null && !Names.inZone(normal, zone)) {
      node.error("\"" + normal + "\" is not inside zone \"" + zone + "\"");
      return null;
    }
    return normal;
  }

  private static String type(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    String t = s.toUpperCase(Locale.ROOT);
    int code = Type.value(t);
    if (code < 0 || code == Type.OPT || code == Type.TSIG || code == Type.TKEY) {
      node.error("\"" + s + "\" is not a record type");
      return null;
    }
    if (code == Type.SOA) {
      node.error("the SOA comes from embedded.soa");
      return null;
    }
    if (code == Type.AXFR || code == Type.IXFR || code == Type.ANY) {
      node.error("\"" + s + "\" is a query type, not a record type");
      return null;
    }
    return t;
  }

  /** Parses the value with dnsjava exactly as the server will; a problem or {@code null}. */
  static String rdataProblem(String name, String type, long ttl, String value) {
    try {
      Record.fromString(
          Name.fromString(name + "."), Type.value(type), DClass.IN, ttl, value, Name.root);
      return null;
    } catch (java.io.IOException | RuntimeException e) {
      // dnsjava prefixes "<none>:1: " (its tokenizer's file and line)
      String why = String.valueOf(e.getMessage()).replaceFirst("^<none>:\\d+: ", "");
      return "is not valid " + type + " data: " + why;
    }
  }

  private static DnsZone.RateLimit rrl(YamlNode node) {
    if (!node.present() || !node.mapping(RRL_KEYS)) {
      return null;
    }
    Long rps = node.get("responsesPerSecond").integer(1, 1_000_000, null);
    if (!node.get("responsesPerSecond").present()) {
      node.get("responsesPerSecond").error("required");
    }
    Long slip = node.get("slip").integer(0, 10, 2L);
    if (rps == null || slip == null) {
      return null;
    }
    return new DnsZone.RateLimit(rps.intValue(), slip.intValue());
  }
}
