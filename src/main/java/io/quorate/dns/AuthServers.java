package io.quorate.dns;

import io.quorate.config.DnsZone;
import io.quorate.dns.DnsUpdateException.Kind;
import io.quorate.failover.RRset;
import io.quorate.probe.dns.DnsProbeException;
import io.quorate.probe.dns.ServerAddress;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The authoritative servers of a zone to check propagation on: the configured list, or else the
 * zone's NS RRset as the primary serves it. In-zone server names are resolved at the primary (A and
 * AAAA, the glue the zone itself holds); other names are left to the Vert.x resolver when they are
 * asked. Servers found through NS are asked on the primary's port (53 in production; a lab running
 * everything on another port keeps working): configure {@code servers} otherwise.
 */
final class AuthServers {
  private final DnsProvider reader;

  AuthServers(DnsProvider reader) {
    this.reader = reader;
  }

  Future<List<ServerAddress>> of(DnsZone zone) {
    if (!zone.servers().isEmpty()) {
      List<ServerAddress> list = new ArrayList<>();
      for (String s : zone.servers()) {
        try {
          list.add(ServerAddress.parse(s));
        } catch (DnsProbeException e) {
          return Future.failedFuture(new DnsUpdateException(Kind.PROTOCOL, -1, 0, e.detail()));
        }
      }
      return Future.succeededFuture(list);
    }
    int port;
    Name apex;
    try {
      port = Rfc2136Provider.primary(zone).port();
      apex = Records.name(zone.zone());
    } catch (DnsUpdateException e) {
      return Future.failedFuture(e);
    }
    return reader.read(zone, zone.zone(), "NS").compose(ns -> resolveAll(zone, ns, apex, port));
  }

  private Future<List<ServerAddress>> resolveAll(DnsZone zone, RRset ns, Name apex, int port) {
    if (ns.isEmpty()) {
      return Future.failedFuture(
          new DnsUpdateException(Kind.PROTOCOL, -1, 0, "the primary serves no NS for the zone"));
    }
    List<Future<List<String>>> hosts = new ArrayList<>();
    for (String host : ns.values()) {
      hosts.add(addresses(zone, host, apex));
    }
    return Future.all(hosts)
        .map(
            done -> {
              Set<String> unique = new LinkedHashSet<>();
              hosts.forEach(f -> unique.addAll(f.result()));
              return unique.stream()
                  .map(h -> new ServerAddress(ServerAddress.label(h, port), h, port))
                  .toList();
            });
  }

  /** The addresses of an in-zone server name (at the primary), or the name itself. */
  private Future<List<String>> addresses(DnsZone zone, String host, Name apex) {
    if (!Records.name(host).subdomain(apex)) {
      return Future.succeededFuture(List.of(host));
    }
    Future<RRset> v4 = reader.read(zone, host, "A");
    Future<RRset> v6 = reader.read(zone, host, "AAAA");
    return Future.all(v4, v6)
        .map(
            done -> {
              List<String> all = new ArrayList<>(v4.result().values());
              all.addAll(v6.result().values());
              return all.isEmpty() ? List.of(host) : all;
            });
  }
}
