package io.quorate.dns;

import io.quorate.config.DnsZone;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import io.vertx.core.Future;

/** Sends each zone to its provider: RFC 2136 zones to one, embedded zones to the other. */
public final class ZoneProviders implements DnsProvider {
  private final DnsProvider rfc2136;
  private final DnsProvider embedded;

  /**
   * @param embedded {@code null} when no zone is embedded
   */
  public ZoneProviders(DnsProvider rfc2136, DnsProvider embedded) {
    this.rfc2136 = rfc2136;
    this.embedded = embedded;
  }

  private DnsProvider of(DnsZone zone) {
    if (!zone.isEmbedded()) {
      return rfc2136;
    }
    if (embedded == null) {
      throw new IllegalStateException("zone " + zone.zone() + " is embedded but no store is");
    }
    return embedded;
  }

  @Override
  public Future<RRset> read(DnsZone zone, String name, String type) {
    return of(zone).read(zone, name, type);
  }

  @Override
  public Future<UpdateResult> apply(DnsZone zone, ChangePlan plan) {
    return of(zone).apply(zone, plan);
  }

  @Override
  public Future<Propagation> awaitPropagation(DnsZone zone, RRset desired) {
    return of(zone).awaitPropagation(zone, desired);
  }
}
