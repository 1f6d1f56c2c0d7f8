package io.quorate.dns;

import io.quorate.config.DnsZone;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import io.vertx.core.Future;

/**
 * Where pools are published. Implementations never block the event loop; their futures fail only
 * with a {@link DnsUpdateException}.
 */
public interface DnsProvider {

  /** The RRset {@code name}/{@code type} as the zone's primary serves it now (TSIG-signed read). */
  Future<RRset> read(DnsZone zone, String name, String type);

  /**
   * Applies one CHANGE plan as a compare-and-set: a single UPDATE whose prerequisites are exactly
   * {@code plan.expected()} (RFC 2136 §2.4.2, value-dependent; §2.4.5 "RRset does not exist" when
   * it is empty), deleting that RRset and adding {@code plan.desired()} (and bumping the zone's
   * epoch TXT record when configured). A server that refuses the prerequisite fails the future with
   * {@link DnsUpdateException.Kind#PREREQUISITE_FAILED}: the caller re-reads and re-plans.
   */
  Future<UpdateResult> apply(DnsZone zone, ChangePlan plan);

  /**
   * Queries every authoritative server of the zone until each serves {@code desired} or {@code
   * zone.propagationTimeoutMs()} passes; never fails (a timeout is a result).
   */
  Future<Propagation> awaitPropagation(DnsZone zone, RRset desired);
}
