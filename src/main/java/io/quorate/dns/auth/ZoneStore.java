package io.quorate.dns.auth;

import io.quorate.config.DnsZone;
import io.quorate.config.Pool;
import io.quorate.config.QuorateConfig;
import io.quorate.dns.Records;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * This agent's copy of every embedded zone: the current {@link ZoneSnapshot} of each (read
 * lock-free by the server on any event loop), a compare-and-set {@link #apply} for the failover
 * executor, a bounded journal of changes for IXFR (RFC 1995), and change listeners (NOTIFY).
 *
 * <p>The serial is the Unix time in seconds of the change, or the previous serial + 1 when that is
 * not larger (RFC 1982 arithmetic never wraps before 2106). Agents that apply the same change
 * within the same second therefore publish the same serial; a secondary following one agent sees it
 * increase on every change.
 */
public final class ZoneStore {
  /** Changes kept per zone for IXFR; an older serial gets a full transfer (AXFR-style). */
  public static final int JOURNAL_LENGTH = 64;

  private final Clock clock;
  private final Map<Name, Zone> zones = new ConcurrentHashMap<>();
  private final List<Consumer<ZoneSnapshot>> listeners = new CopyOnWriteArrayList<>();

  /** One change: the RRsets removed and added between two serials (RFC 1995 §4). */
  public record Diff(SOARecord from, SOARecord to, List<Record> removed, List<Record> added) {
    public Diff {
      removed = List.copyOf(removed);
      added = List.copyOf(added);
    }
  }

  private static final class Zone {
    volatile ZoneSnapshot current;
    final Deque<Diff> journal = new ArrayDeque<>();

    Zone(ZoneSnapshot initial) {
      this.current = initial;
    }
  }

  /** Thrown by {@link #apply} when the RRset is not what the caller expected. */
  public static final class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
      super(message);
    }
  }

  /**
   * Builds every embedded zone of {@code config}: SOA, apex NS, static records, and each pool's
   * RRset published with its primary members (the executor corrects it once verdicts exist).
   */
  public ZoneStore(QuorateConfig config, Clock clock) {
    this.clock = clock;
    long serial = Math.max(1, clock.millis() / 1000);
    for (DnsZone z : config.zones()) {
      if (z.isEmbedded()) {
        ZoneSnapshot s = initial(z, config.pools(), serial);
        zones.put(s.origin(), new Zone(s));
      }
    }
  }

  static ZoneSnapshot initial(DnsZone z, List<Pool> pools, long serial) {
    DnsZone.Embedded e = z.embedded();
    Name origin = Records.name(z.zone());
    DnsZone.Soa f = e.soa();
    SOARecord soa =
        new SOARecord(
            origin,
            org.xbill.DNS.DClass.IN,
            f.ttl(),
            Records.name(f.mname()),
            Records.name(f.rname()),
            serial,
            f.refresh(),
            f.retry(),
            f.expire(),
            f.minimum());
    List<Record> records = new ArrayList<>();
    for (String ns : e.nameServers()) {
      records.add(new NSRecord(origin, org.xbill.DNS.DClass.IN, f.ttl(), Records.name(ns)));
    }
    for (DnsZone.StaticRecord r : e.records()) {
      records.add(
          Records.record(Records.name(r.name()), Records.type(r.type()), r.ttl(), r.value()));
    }
    for (Pool p : pools) {
      if (!p.zone().equals(z.zone())) {
        continue;
      }
      Name owner = Records.name(p.name());
      int type = Records.type(p.type());
      // CNAME: one record only (RFC 2181 §10.1); the planner picks the first UP member later
      List<Pool.Member> primaries =
          p.members().stream().filter(m -> m.role() == Pool.Role.PRIMARY).toList();
      for (Pool.Member m : "CNAME".equals(p.type()) ? primaries.subList(0, 1) : primaries) {
        records.add(Records.record(owner, type, p.ttl(), m.value()));
      }
    }
    return ZoneSnapshot.of(origin, soa, records);
  }

  /** The zone with apex {@code origin}, if embedded here. */
  public Optional<ZoneSnapshot> zone(Name origin) {
    Zone z = zones.get(origin.canonicalize());
    return z == null ? Optional.empty() : Optional.of(z.current);
  }

  /** The zone whose apex is the closest enclosing name of {@code qname}, if any. */
  public Optional<ZoneSnapshot> find(Name qname) {
    Name n = qname.canonicalize();
    for (int skip = 0; skip < n.labels(); skip++) {
      Zone z = zones.get(skip == 0 ? n : new Name(n, skip));
      if (z != null) {
        return Optional.of(z.current);
      }
    }
    return Optional.empty();
  }

  /** Every zone's current snapshot. */
  public List<ZoneSnapshot> zones() {
    return zones.values().stream().map(z -> z.current).toList();
  }

  /**
   * The changes from {@code serial} to the current version, oldest first; empty when {@code serial}
   * is current, {@link Optional#empty()} when the journal no longer reaches back that far (the
   * caller falls back to a full transfer).
   */
  public Optional<List<Diff>> since(Name origin, long serial) {
    Zone z = zones.get(origin.canonicalize());
    if (z == null) {
      return Optional.empty();
    }
    synchronized (z) {
      if (z.current.serial() == serial) {
        return Optional.of(List.of());
      }
      List<Diff> out = new ArrayList<>();
      boolean found = false;
      for (Diff d : z.journal) {
        found = found || d.from().getSerial() == serial;
        if (found) {
          out.add(d);
        }
      }
      return found ? Optional.of(out) : Optional.empty();
    }
  }

  /**
   * Replaces {@code name}/{@code type} with {@code desired} if it now holds exactly {@code
   * expected} (compared as record sets, TTL ignored), bumping the serial. Short and in memory, so
   * safe to call on an event loop.
   *
   * @return the new snapshot
   * @throws ConflictException when the RRset differs from {@code expected}
   * @throws IllegalArgumentException when {@code origin} is not an embedded zone
   */
  public ZoneSnapshot apply(
      Name origin, Name name, int type, List<Record> expected, List<Record> desired) {
    Zone z = zones.get(origin.canonicalize());
    if (z == null) {
      throw new IllegalArgumentException("no embedded zone " + origin);
    }
    ZoneSnapshot next;
    synchronized (z) {
      ZoneSnapshot cur = z.current;
      RRset now = cur.get(name, type);
      List<Record> have = now == null ? List.of() : now.rrs(false);
      if (!sameRdata(have, expected)) {
        throw new ConflictException(name + " " + org.xbill.DNS.Type.string(type) + " changed");
      }
      SOARecord soa = nextSoa(cur.soa());
      next = cur.with(name, type, desired, soa);
      z.journal.addLast(new Diff(cur.soa(), soa, have, desired));
      while (z.journal.size() > JOURNAL_LENGTH) {
        z.journal.removeFirst();
      }
      z.current = next;
    }
    for (Consumer<ZoneSnapshot> l : listeners) {
      l.accept(next);
    }
    return next;
  }

  /** Called after every change, on the thread that applied it; must not block. */
  public void onChange(Consumer<ZoneSnapshot> listener) {
    listeners.add(listener);
  }

  private SOARecord nextSoa(SOARecord soa) {
    long now = clock.millis() / 1000;
    long serial = Math.max(now, soa.getSerial() + 1) & 0xFFFFFFFFL;
    return new SOARecord(
        soa.getName(),
        soa.getDClass(),
        soa.getTTL(),
        soa.getHost(),
        soa.getAdmin(),
        serial,
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }

  private static boolean sameRdata(List<Record> a, List<Record> b) {
    if (a.size() != b.size()) {
      return false;
    }
    java.util.Set<String> x = new java.util.HashSet<>();
    a.forEach(r -> x.add(r.rdataToString().toLowerCase(java.util.Locale.ROOT)));
    for (Record r : b) {
      if (!x.contains(r.rdataToString().toLowerCase(java.util.Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }
}
