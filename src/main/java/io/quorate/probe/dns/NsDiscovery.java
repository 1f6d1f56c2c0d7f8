package io.quorate.probe.dns;

import io.netty.util.NetUtil;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.dns.ZoneConsistency.Candidate;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Finds a zone's servers: its NS RRset asked at the target, then each name's addresses. A name in
 * the zone is asked at the target for A and AAAA (the target is authoritative for it); a name
 * outside the zone ({@code ns1.provider.net}) is not: an authoritative-only server would answer
 * REFUSED, so it goes to the host-name resolver, bounded by the deadline. A name without any
 * address becomes a {@link Candidate} that names the problem.
 */
final class NsDiscovery {
  private final DnsTransport transport;

  NsDiscovery(DnsTransport transport) {
    this.transport = transport;
  }

  Future<List<Candidate>> discover(DnsProbe.Attempt at, Name zone) {
    return transport
        .resolve(at.target.address(), at.deadline)
        .compose(ip -> ask(at, ip, zone, Type.NS).compose(ns -> servers(at, ip, zone, ns)))
        .recover(e -> Future.failedFuture(DnsProbeException.of("", e).prefixed("NS discovery")));
  }

  private Future<List<Candidate>> servers(
      DnsProbe.Attempt at, String ip, Name zone, List<Record> ns) {
    if (ns.isEmpty()) {
      return Future.failedFuture(new DnsProbeException(ErrorKind.ASSERTION, "no NS for " + zone));
    }
    int port = at.target.port();
    List<Future<List<Candidate>>> each =
        ns.stream()
            .map(r -> ((NSRecord) r).getTarget())
            .distinct()
            .map(
                host ->
                    addresses(at, ip, zone, host)
                        .map(ips -> candidates(host, ips, port))
                        .otherwise(
                            e ->
                                List.of(
                                    new Candidate(
                                        null, host.toString(true), DnsProbeException.of("", e)))))
            .toList();
    return Future.all(each).map(done -> dedupe(each));
  }

  /** The addresses of one NS name: A and AAAA at the target when in the zone, else the resolver. */
  private Future<List<String>> addresses(DnsProbe.Attempt at, String ip, Name zone, Name host) {
    if (!host.subdomain(zone)) {
      return transport.resolve(host.toString(true), at.deadline).map(List::of);
    }
    Future<List<String>> v4 = ask(at, ip, host, Type.A).map(NsDiscovery::addressesOf);
    Future<List<String>> v6 = ask(at, ip, host, Type.AAAA).map(NsDiscovery::addressesOf);
    return Future.join(v4, v6)
        .transform(
            done -> {
              List<String> all = new ArrayList<>();
              for (Future<List<String>> f : List.of(v4, v6)) {
                if (f.succeeded()) {
                  all.addAll(f.result());
                }
              }
              if (!all.isEmpty()) {
                return Future.succeededFuture(all);
              }
              Throwable why = v4.failed() ? v4.cause() : v6.failed() ? v6.cause() : null;
              return Future.failedFuture(
                  why != null
                      ? why
                      : new DnsProbeException(ErrorKind.ASSERTION, "no A or AAAA for " + host));
            });
  }

  /** The RRset of {@code type} at {@code name}; empty for NODATA, failed for other RCODEs. */
  private Future<List<Record>> ask(DnsProbe.Attempt at, String ip, Name name, int type) {
    Message q = DnsMessages.query(name, type, false);
    return transport
        .query(ip, at.target.port(), q, false, at.deadline)
        .map(
            ex -> {
              Message r = ex.response();
              if (r.getRcode() != Rcode.NOERROR) {
                throw new DnsProbeException(
                    ErrorKind.DNS_RCODE,
                    Type.string(type) + " " + name + ": rcode " + Rcode.string(r.getRcode()));
              }
              return DnsMessages.rrset(r, name, type);
            });
  }

  /** Address texts, IPv6 in RFC 5952 form ({@code ::1}). */
  private static List<String> addressesOf(List<Record> rrset) {
    return rrset.stream()
        .map(r -> r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress())
        .map(NetUtil::toAddressString)
        .toList();
  }

  private static List<Candidate> candidates(Name host, List<String> ips, int port) {
    return ips.stream()
        .map(
            ip ->
                Candidate.of(
                    new ServerAddress(
                        host.toString(true) + "/" + ServerAddress.label(ip, port), ip, port)))
        .toList();
  }

  /** One entry per address (two NS names for one address are one server). */
  private static List<Candidate> dedupe(List<Future<List<Candidate>>> each) {
    Map<String, Candidate> byAddress = new LinkedHashMap<>();
    for (Future<List<Candidate>> f : each) {
      for (Candidate c : f.result()) {
        String key =
            c.server() == null
                ? c.name()
                : ServerAddress.label(c.server().host(), c.server().port());
        byAddress.putIfAbsent(key, c);
      }
    }
    return new ArrayList<>(byAddress.values());
  }
}
