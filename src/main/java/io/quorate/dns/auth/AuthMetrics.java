package io.quorate.dns.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;
import org.xbill.DNS.Rcode;

/**
 * Meters of the embedded authoritative server. Label values are bounded: {@code zone} is one of the
 * configured embedded zones or {@code "-"} (refused, unparsable), {@code rcode} a DNS RCODE
 * mnemonic, the other labels small fixed sets.
 */
public final class AuthMetrics {
  /** The zone label of queries for no zone of ours (REFUSED) or that could not be parsed. */
  public static final String NO_ZONE = "-";

  /** RCODEs -1 (dropped) .. 30 have their query counter cached; others are looked up each time. */
  private static final int CACHED_RCODES = 32;

  private final MeterRegistry registry;
  private final Set<String> zones;

  /**
   * Query counters by zone label and RCODE + 1, created on first use exactly as the registry would:
   * a lookup by tags on every query cost ~7 % of the UDP path (issue #5 profile).
   */
  private final Map<String, AtomicReferenceArray<Counter>> queryCounters =
      new ConcurrentHashMap<>();

  /**
   * @param zones the configured embedded zone apexes (presentation form, e.g. {@code demo.test})
   */
  public AuthMetrics(MeterRegistry registry, Set<String> zones) {
    this.registry = registry;
    this.zones = Set.copyOf(zones);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** {@code quorate_dns_queries_total{zone,rcode}}: one per answered or dropped query. */
  public void query(String zone, int rcode) {
    String z = zone(zone);
    int slot = rcode < 0 ? 0 : rcode + 1;
    if (slot >= CACHED_RCODES) {
      queryCounter(z, rcode).increment();
      return;
    }
    AtomicReferenceArray<Counter> byRcode =
        queryCounters.computeIfAbsent(z, k -> new AtomicReferenceArray<>(CACHED_RCODES));
    Counter c = byRcode.get(slot);
    if (c == null) {
      c = queryCounter(z, rcode); // the registry returns the same counter for the same id
      byRcode.set(slot, c);
    }
    c.increment();
  }

  private Counter queryCounter(String zoneLabel, int rcode) {
    String r = rcode < 0 ? "dropped" : Rcode.string(rcode).toUpperCase(Locale.ROOT);
    return registry.counter("quorate.dns.queries", Tags.of("zone", zoneLabel, "rcode", r));
  }

  /**
   * {@code quorate_dns_rrl_limited_total{zone,action}}; {@code slipped} = {@code true}: TC sent.
   */
  public void rateLimited(String zone, boolean slipped) {
    registry
        .counter(
            "quorate.dns.rrl.limited",
            Tags.of("zone", zone(zone), "action", slipped ? "slipped" : "dropped"))
        .increment();
  }

  /**
   * {@code quorate_dns_transfers_total{zone,type,outcome}}.
   *
   * @param type {@code axfr}, {@code ixfr} or {@code ixfr-full} (IXFR answered with the whole zone)
   * @param outcome {@code ok}, {@code refused}, {@code notauth}, {@code formerr}, {@code tc}
   */
  public void transfer(String zone, String type, String outcome) {
    registry
        .counter(
            "quorate.dns.transfers", Tags.of("zone", zone(zone), "type", type, "outcome", outcome))
        .increment();
  }

  /**
   * {@code quorate_dns_notify_total{zone,outcome}}: {@code acked}, {@code failed}, {@code error}.
   */
  public void notify(String zone, String outcome) {
    registry
        .counter("quorate.dns.notify", Tags.of("zone", zone(zone), "outcome", outcome))
        .increment();
  }

  /** Registers {@code quorate_dns_zone_serial{zone}}, read from {@code source} at each scrape. */
  public <T> void serial(String zone, T source, ToDoubleFunction<T> serial) {
    Gauge.builder("quorate.dns.zone.serial", source, serial)
        .description("SOA serial of the embedded zone this agent serves")
        .tag("zone", zone(zone))
        .register(registry);
  }

  private String zone(String z) {
    return z != null && zones.contains(z) ? z : NO_ZONE;
  }
}
