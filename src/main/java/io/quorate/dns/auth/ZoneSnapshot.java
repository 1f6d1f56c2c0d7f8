package io.quorate.dns.auth;

import io.quorate.dns.Records;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One immutable version of an embedded zone: what every query and transfer of that version sees.
 * Readers on any thread take the current snapshot from the {@link ZoneStore} and never lock. Owner
 * names are lower-case ({@link Name#canonicalize()}); lookups canonicalise the query name, so
 * matching is case-insensitive (RFC 4343).
 */
public final class ZoneSnapshot {
  private final Name origin;
  private final String originText;
  private final SOARecord soa;
  private final Map<Name, Map<Integer, RRset>> nodes;
  private final Set<Name> names;

  private ZoneSnapshot(Name origin, SOARecord soa, Map<Name, Map<Integer, RRset>> nodes) {
    this.origin = origin;
    this.originText = Records.text(origin);
    this.soa = soa;
    this.nodes = nodes;
    Set<Name> all = new HashSet<>();
    for (Name n : nodes.keySet()) {
      // every ancestor up to the apex exists (empty non-terminals answer NODATA, RFC 4592 §2.2.2)
      for (Name a = n; a.subdomain(origin); a = parent(a)) {
        if (!all.add(a) || a.equals(origin)) {
          break;
        }
      }
    }
    all.add(origin);
    this.names = Collections.unmodifiableSet(all);
  }

  /**
   * A snapshot of {@code records} (the SOA among them is replaced by {@code soa}).
   *
   * @throws IllegalArgumentException when a record is outside {@code origin} or of class other than
   *     IN
   */
  public static ZoneSnapshot of(Name origin, SOARecord soa, List<Record> records) {
    Name o = origin.canonicalize();
    Map<Name, Map<Integer, RRset>> nodes = new HashMap<>();
    put(nodes, o, soa.withName(o));
    for (Record r : records) {
      if (r.getType() == Type.SOA) {
        continue;
      }
      Name n = r.getName().canonicalize();
      if (!n.subdomain(o)) {
        throw new IllegalArgumentException(n + " is outside zone " + o);
      }
      put(nodes, o, r.withName(n));
    }
    return new ZoneSnapshot(o, (SOARecord) soa.withName(o), freeze(nodes));
  }

  private static void put(Map<Name, Map<Integer, RRset>> nodes, Name origin, Record r) {
    RRset set = nodes.computeIfAbsent(r.getName(), k -> new TreeMap<>()).get(r.getRRsetType());
    if (set == null) {
      set = new RRset();
      nodes.get(r.getName()).put(r.getRRsetType(), set);
    }
    set.addRR(r);
  }

  private static Map<Name, Map<Integer, RRset>> freeze(Map<Name, Map<Integer, RRset>> nodes) {
    Map<Name, Map<Integer, RRset>> out = new HashMap<>();
    nodes.forEach((n, m) -> out.put(n, Collections.unmodifiableMap(m)));
    return Collections.unmodifiableMap(out);
  }

  /** The zone apex, canonical (lower-case, absolute). */
  public Name origin() {
    return origin;
  }

  /** The apex in presentation form ({@link Records#text}), e.g. {@code demo.test}. */
  public String originText() {
    return originText;
  }

  public SOARecord soa() {
    return soa;
  }

  public long serial() {
    return soa.getSerial();
  }

  /** Whether {@code name} is at or below the apex. */
  public boolean contains(Name name) {
    return name.subdomain(origin);
  }

  /**
   * Every RRset at {@code name} by type (CNAME, NS, A…; RRSIG is not served), or an empty map when
   * the name owns no records (it may still exist as an empty non-terminal).
   */
  public Map<Integer, RRset> at(Name name) {
    Map<Integer, RRset> m = nodes.get(name.canonicalize());
    return m == null ? Map.of() : m;
  }

  /** One RRset, or {@code null}. */
  public RRset get(Name name, int type) {
    return at(name).get(type);
  }

  /** Whether {@code name} exists in the zone: owns records or has descendants that do. */
  public boolean exists(Name name) {
    return names.contains(name.canonicalize());
  }

  /** The apex NS RRset. */
  public RRset nameServers() {
    return get(origin, Type.NS);
  }

  /**
   * The closest delegation (an NS RRset below the apex) at or above {@code name}, or {@code null}
   * when {@code name} is served with authority.
   */
  public RRset delegation(Name name) {
    Name n = name.canonicalize();
    RRset found = null;
    for (Name a = n; !a.equals(origin) && a.subdomain(origin); a = parent(a)) {
      RRset ns = get(a, Type.NS);
      if (ns != null) {
        found = ns; // keep climbing: the highest cut wins
      }
    }
    return found;
  }

  /**
   * Every record for a full transfer (RFC 5936): the SOA first, then all other RRsets in canonical
   * name order; the caller repeats the SOA at the end.
   */
  public List<Record> records() {
    List<Record> out = new ArrayList<>();
    out.add(soa);
    List<Name> sorted = new ArrayList<>(nodes.keySet());
    Collections.sort(sorted);
    for (Name n : sorted) {
      for (RRset set : nodes.get(n).values()) {
        if (set.getType() != Type.SOA) {
          out.addAll(set.rrs(false));
        }
      }
    }
    return out;
  }

  /** Number of RRsets (for metrics and logs). */
  public int rrsetCount() {
    return nodes.values().stream().mapToInt(Map::size).sum();
  }

  /** A new version with {@code name}/{@code type} replaced by {@code records} and a new SOA. */
  public ZoneSnapshot with(Name name, int type, List<Record> records, SOARecord newSoa) {
    Name n = name.canonicalize();
    Map<Name, Map<Integer, RRset>> copy = new HashMap<>();
    nodes.forEach((k, v) -> copy.put(k, new TreeMap<>(v)));
    Map<Integer, RRset> node = copy.computeIfAbsent(n, k -> new TreeMap<>());
    node.remove(type);
    for (Record r : records) {
      put(copy, origin, r.withName(n));
    }
    if (node.isEmpty()) {
      copy.remove(n);
    }
    copy.get(origin).remove(Type.SOA);
    put(copy, origin, newSoa.withName(origin));
    return new ZoneSnapshot(origin, (SOARecord) newSoa.withName(origin), freeze(copy));
  }

  private static Name parent(Name n) {
    return new Name(n, 1);
  }
}
