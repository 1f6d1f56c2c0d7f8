package io.quorate.dns;

import io.quorate.config.DnsZone;
import io.quorate.dns.auth.ZoneSnapshot;
import io.quorate.dns.auth.ZoneStore;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import io.quorate.probe.dns.DnsTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Publishes pools of embedded zones into this agent's own {@link ZoneStore}, which its
 * authoritative server answers from. Every agent applies the same plans to its own copy (the gate
 * asks for quorum, not writer rank), so a compare-and-set conflict here means only that this
 * agent's copy moved between read and apply. Propagation is checked on the zone's listed {@code
 * servers} (e.g. secondaries that transfer from the agents); without any, the change is served the
 * moment it is applied.
 */
public final class EmbeddedProvider implements DnsProvider {
  private final ZoneStore store;
  private final PropagationWatch propagation;

  public EmbeddedProvider(Vertx vertx, ZoneStore store) {
    this.store = store;
    this.propagation = new PropagationWatch(vertx, new DnsTransport(vertx), this);
  }

  @Override
  public Future<RRset> read(DnsZone zone, String name, String type) {
    try {
      ZoneSnapshot z = snapshot(zone);
      org.xbill.DNS.RRset set = z.get(Records.name(name), Records.type(type));
      return Future.succeededFuture(presentation(name, type, set));
    } catch (DnsUpdateException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<UpdateResult> apply(DnsZone zone, ChangePlan plan) {
    long start = System.nanoTime();
    try {
      RRset want = plan.desired();
      Name owner = Records.name(want.name());
      int type = Records.type(want.type());
      List<Record> expected = Records.records(plan.expected(), plan.expected().ttl());
      List<Record> desired = Records.records(want, want.ttl());
      ZoneSnapshot next = store.apply(Records.name(zone.zone()), owner, type, expected, desired);
      double ms = (System.nanoTime() - start) / 1e6;
      return Future.succeededFuture(new UpdateResult(ms, next.serial(), 0));
    } catch (ZoneStore.ConflictException e) {
      return Future.failedFuture(
          new DnsUpdateException(
              DnsUpdateException.Kind.PREREQUISITE_FAILED, -1, 0, e.getMessage()));
    } catch (DnsUpdateException e) {
      return Future.failedFuture(e);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          new DnsUpdateException(DnsUpdateException.Kind.PROTOCOL, -1, 0, e.getMessage()));
    }
  }

  @Override
  public Future<Propagation> awaitPropagation(DnsZone zone, RRset desired) {
    if (zone.servers().isEmpty()) {
      return Future.succeededFuture(new Propagation(true, Map.of("embedded", "ok"), 0));
    }
    return propagation.await(zone, desired);
  }

  private ZoneSnapshot snapshot(DnsZone zone) {
    return store
        .zone(Records.name(zone.zone()))
        .orElseThrow(
            () ->
                new DnsUpdateException(
                    DnsUpdateException.Kind.PROTOCOL,
                    -1,
                    0,
                    "zone " + zone.zone() + " is not embedded in this agent"));
  }

  private static RRset presentation(String name, String type, org.xbill.DNS.RRset set) {
    String n = Records.text(Records.name(name));
    String t = Type.string(Records.type(type));
    if (set == null || set.size() == 0) {
      return RRset.empty(n, t);
    }
    Set<String> values = new TreeSet<>();
    for (Record r : set.rrs(false)) {
      values.add(Records.value(r));
    }
    return new RRset(n, t, set.getTTL(), values);
  }
}
