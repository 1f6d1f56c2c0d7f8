package io.quorate.dns;

import io.quorate.config.DnsZone;
import io.quorate.failover.RRset;
import io.quorate.probe.dns.DnsExchange;
import io.quorate.probe.dns.DnsProbeException;
import io.quorate.probe.dns.DnsTransport;
import io.quorate.probe.dns.ServerAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Polls every authoritative server of a zone (plain queries, UDP with TCP fallback on TC) until
 * each serves a desired RRset or the zone's propagation timeout passes. Never fails: a server that
 * lags or cannot be asked is named in the result with what it served or why.
 */
final class PropagationWatch {
  private static final Logger LOG = LoggerFactory.getLogger(PropagationWatch.class);

  /** Time between two queries to the same server. */
  static final long POLL_MS = 200;

  static final String OK = "ok";

  private final Vertx vertx;
  private final DnsTransport transport;
  private final AuthServers servers;

  PropagationWatch(Vertx vertx, DnsTransport transport, DnsProvider reader) {
    this.vertx = vertx;
    this.transport = transport;
    this.servers = new AuthServers(reader);
  }

  Future<Propagation> await(DnsZone zone, RRset desired) {
    long start = System.nanoTime();
    long deadline = start + zone.propagationTimeoutMs() * 1_000_000L;
    return servers
        .of(zone)
        .compose(list -> pollAll(zone, list, desired, deadline))
        .otherwise(t -> Map.of(zone.primary(), "cannot list the zone's servers: " + t.getMessage()))
        .map(
            states -> {
              boolean complete = states.values().stream().allMatch(OK::equals);
              double ms = (System.nanoTime() - start) / 1e6;
              LOG.info(
                  "dns.propagation zone={} name={} type={} complete={} ms={} servers={}",
                  zone.zone(),
                  desired.name(),
                  desired.type(),
                  complete,
                  String.format("%.0f", ms),
                  states);
              return new Propagation(complete, states, ms);
            });
  }

  private Future<Map<String, String>> pollAll(
      DnsZone zone, List<ServerAddress> list, RRset desired, long deadline) {
    List<Future<String>> polls = new ArrayList<>();
    for (ServerAddress s : list) {
      polls.add(poll(zone, s, desired, deadline));
    }
    return Future.join(polls)
        .map(
            done -> {
              Map<String, String> states = new LinkedHashMap<>();
              for (int i = 0; i < list.size(); i++) {
                states.put(list.get(i).label(), polls.get(i).result());
              }
              return states;
            });
  }

  /** Asks {@code s} every {@link #POLL_MS} until it serves {@code desired} or time is up. */
  private Future<String> poll(DnsZone zone, ServerAddress s, RRset desired, long deadline) {
    long askDeadline = Math.min(deadline, System.nanoTime() + zone.updateTimeoutMs() * 1_000_000L);
    return ask(s, desired, askDeadline)
        .compose(
            state -> {
              if (OK.equals(state) || System.nanoTime() + POLL_MS * 1_000_000L >= deadline) {
                return Future.succeededFuture(state);
              }
              return vertx.timer(POLL_MS).compose(v -> poll(zone, s, desired, deadline));
            });
  }

  /** One query: {@code "ok"}, or what the server served, or why it could not be asked. */
  private Future<String> ask(ServerAddress s, RRset desired, long deadline) {
    Message q = UpdateMessages.query(desired.name(), desired.type());
    return transport
        .resolve(s.host(), deadline)
        .compose(ip -> transport.query(ip, s.port(), q, false, deadline))
        .map(ex -> judge(ex, desired))
        .otherwise(
            t -> t instanceof DnsProbeException p ? p.kind() + ": " + p.detail() : t.toString());
  }

  private static String judge(DnsExchange ex, RRset desired) {
    Message m = ex.response();
    int rcode = m.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return "answered " + Rcode.string(rcode);
    }
    if (!m.getHeader().getFlag(Flags.AA)) {
      return "not authoritative (AA clear, " + Rcode.string(rcode) + ")";
    }
    RRset served = Records.rrset(m, desired.name(), desired.type());
    if (served.sameRecords(desired)) {
      return OK;
    }
    return served.isEmpty()
        ? "served no records (" + Rcode.string(rcode) + ")"
        : "served " + served.values();
  }
}
