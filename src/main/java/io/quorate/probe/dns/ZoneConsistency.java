package io.quorate.probe.dns;

import io.quorate.config.DnsCheck;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Zone consistency: the SOA serial of one zone at each of its servers, asked in parallel. All equal
 * is UP; different serials are DEGRADED/INCONSISTENT (a secondary lags: RFC 1996 NOTIFY or zone
 * transfer trouble); some servers failing is DEGRADED naming them; all failing is DOWN.
 */
final class ZoneConsistency {
  private final DnsTransport transport;

  ZoneConsistency(DnsTransport transport) {
    this.transport = transport;
  }

  /** What one server said: a serial, or why not. */
  record Seen(String server, Long serial, ErrorKind kind, String detail) {
    static Seen failed(String server, DnsProbeException e) {
      return new Seen(server, null, e.kind(), e.detail());
    }
  }

  /** A server to ask, or (from NS discovery) a server name that has no usable address. */
  record Candidate(ServerAddress server, String name, DnsProbeException problem) {
    static Candidate of(ServerAddress s) {
      return new Candidate(s, s.label(), null);
    }
  }

  Future<ProbeResult> run(DnsProbe.Attempt at, DnsCheck check) {
    Name zone = DnsMessages.name(check.consistency().zone());
    List<String> listed = check.consistency().servers();
    Future<List<Candidate>> servers =
        listed == null || listed.isEmpty()
            ? new NsDiscovery(transport).discover(at, zone)
            : Future.succeededFuture(
                listed.stream().map(ServerAddress::parse).map(Candidate::of).toList());
    return servers
        .compose(
            list -> {
              List<Future<Seen>> asks = list.stream().map(s -> serial(at, check, zone, s)).toList();
              return Future.all(asks).map(done -> asks.stream().map(Future::result).toList());
            })
        .map(seen -> verdict(at, seen));
  }

  private Future<Seen> serial(DnsProbe.Attempt at, DnsCheck check, Name zone, Candidate c) {
    if (c.problem() != null) { // an NS name without an address: already a failure
      return Future.succeededFuture(
          new Seen(
              c.name(), null, ErrorKind.UNREACHABLE, "no address (" + c.problem().detail() + ")"));
    }
    ServerAddress s = c.server();
    Message q = DnsMessages.query(zone, Type.SOA, false);
    return transport
        .resolve(s.host(), at.deadline)
        .compose(ip -> transport.query(ip, s.port(), q, false, at.deadline))
        .map(ex -> soa(s.label(), check, zone, ex.response()))
        .recover(e -> Future.succeededFuture(Seen.failed(s.label(), DnsProbeException.of("", e))));
  }

  private static Seen soa(String server, DnsCheck check, Name zone, Message r) {
    if (r.getRcode() != Rcode.NOERROR) {
      return new Seen(server, null, ErrorKind.DNS_RCODE, "rcode " + Rcode.string(r.getRcode()));
    }
    if (check.authoritative() && !r.getHeader().getFlag(Flags.AA)) {
      return new Seen(server, null, ErrorKind.ASSERTION, "not authoritative (AA clear)");
    }
    List<Record> soa = DnsMessages.rrset(r, zone, Type.SOA);
    if (soa.size() != 1) {
      return new Seen(server, null, ErrorKind.ASSERTION, soa.size() + " SOA records for " + zone);
    }
    return new Seen(server, ((SOARecord) soa.get(0)).getSerial(), null, null);
  }

  private static ProbeResult verdict(DnsProbe.Attempt at, List<Seen> seen) {
    List<Seen> ok = seen.stream().filter(s -> s.serial() != null).toList();
    List<Seen> bad = seen.stream().filter(s -> s.serial() == null).toList();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("servers", Integer.toString(seen.size()));
    ok.forEach(s -> facts.put("serial." + s.server(), Long.toString(s.serial())));
    bad.forEach(s -> facts.put("error." + s.server(), s.kind().wireName()));
    String failures =
        bad.stream().map(s -> s.server() + ": " + s.detail()).collect(Collectors.joining("; "));
    Timings timings = Timings.total(at.elapsedMs());
    String id = at.target.id();
    if (seen.isEmpty()) {
      return new ProbeResult(
          id,
          Outcome.DOWN,
          ErrorKind.INTERNAL,
          "no servers to ask",
          at.startedAt,
          timings,
          null,
          facts);
    }
    if (ok.isEmpty()) {
      return new ProbeResult(
          id,
          Outcome.DOWN,
          bad.get(0).kind(),
          "no server answered: " + failures,
          at.startedAt,
          timings,
          null,
          facts);
    }
    List<Long> serials = ok.stream().map(Seen::serial).distinct().toList();
    if (serials.size() > 1) {
      String each =
          ok.stream().map(s -> s.server() + "=" + s.serial()).collect(Collectors.joining(", "));
      return new ProbeResult(
          id,
          Outcome.DEGRADED,
          ErrorKind.INCONSISTENT,
          "SOA serials differ: " + each + (bad.isEmpty() ? "" : "; " + failures),
          at.startedAt,
          timings,
          null,
          facts);
    }
    facts.put("serial", Long.toString(serials.get(0)));
    if (!bad.isEmpty()) {
      return new ProbeResult(
          id,
          Outcome.DEGRADED,
          bad.get(0).kind(),
          failures + " (others agree on" + " serial " + serials.get(0) + ")",
          at.startedAt,
          timings,
          null,
          facts);
    }
    return ProbeResult.up(
        id,
        ok.size() + " server(s) agree on serial " + serials.get(0),
        at.startedAt,
        timings,
        null,
        facts);
  }
}
