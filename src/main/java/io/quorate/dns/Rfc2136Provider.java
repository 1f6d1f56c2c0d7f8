package io.quorate.dns;

import io.quorate.config.DnsZone;
import io.quorate.dns.DnsUpdateException.Kind;
import io.quorate.dns.UpdateMessages.Epoch;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import io.quorate.probe.dns.DnsProbeException;
import io.quorate.probe.dns.DnsTransport;
import io.quorate.probe.dns.ServerAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Update;

/**
 * {@link DnsProvider} over RFC 2136 dynamic updates signed with TSIG (RFC 8945), sent over TCP to
 * the zone's primary. dnsjava renders and parses messages; all I/O is Vert.x ({@link TcpDnsClient},
 * and the probe's {@link DnsTransport} for propagation checks), so nothing blocks the event loop.
 * Every answer from the primary must carry a verified TSIG. Nothing is retried here: the caller
 * decides from the {@link DnsUpdateException.Kind}.
 */
public final class Rfc2136Provider implements DnsProvider {
  private static final Logger LOG = LoggerFactory.getLogger(Rfc2136Provider.class);

  private final TcpDnsClient tcp;
  private final DnsTransport transport;
  private final PropagationWatch propagation;

  public Rfc2136Provider(Vertx vertx) {
    this.tcp = new TcpDnsClient(vertx);
    this.transport = new DnsTransport(vertx);
    this.propagation = new PropagationWatch(vertx, transport, this);
  }

  @Override
  public Future<RRset> read(DnsZone zone, String name, String type) {
    return attempt(
        () -> {
          Message q = UpdateMessages.query(name, type);
          String what = "read " + name + "/" + type;
          return signed(zone, q, what)
              .map(
                  m -> {
                    int rcode = m.getRcode();
                    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                      throw Responses.rcodeFailure(m, what);
                    }
                    return Records.rrset(m, name, type); // NXDOMAIN / NODATA: empty
                  });
        });
  }

  @Override
  public Future<UpdateResult> apply(DnsZone zone, ChangePlan plan) {
    return attempt(
        () -> {
          Name apex = checked(zone, plan);
          Future<Epoch> epoch =
              zone.epochRecord() == null
                  ? Future.succeededFuture()
                  : read(zone, zone.epochRecord(), "TXT").map(Epoch::of);
          return epoch.compose(e -> send(zone, apex, plan, e));
        });
  }

  /**
   * Sends the UPDATE of {@code plan} with {@code epoch} as the fence value read (tests use it to
   * play a stale writer that read an old epoch).
   */
  Future<UpdateResult> send(DnsZone zone, ChangePlan plan, Epoch epoch) {
    return attempt(
        () -> {
          Name apex = checked(zone, plan);
          return send(zone, apex, plan, epoch);
        });
  }

  @Override
  public Future<Propagation> awaitPropagation(DnsZone zone, RRset desired) {
    return propagation.await(zone, desired);
  }

  /** Releases the TCP clients. */
  public Future<Void> close() {
    return Future.join(tcp.close(), transport.close()).mapEmpty();
  }

  private Future<UpdateResult> send(DnsZone zone, Name apex, ChangePlan plan, Epoch epoch) {
    Update u = UpdateMessages.update(apex, plan, epoch);
    RRset d = plan.desired();
    String what = "UPDATE " + d.name() + "/" + d.type() + " id " + u.getHeader().getID();
    long start = System.nanoTime();
    long newEpoch = epoch == null ? -1 : epoch.value() + 1;
    return attempt(() -> signed(zone, u, what))
        .map(
            m -> {
              DnsUpdateException refused = Responses.rcodeFailure(m, what);
              if (refused != null) {
                throw refused;
              }
              double ms = (System.nanoTime() - start) / 1e6;
              LOG.info(
                  "dns.update zone={} name={} type={} id={} records={} epoch={} ms={} result=ok",
                  zone.zone(),
                  d.name(),
                  d.type(),
                  u.getHeader().getID(),
                  d.values().size(),
                  newEpoch,
                  String.format("%.1f", ms));
              return new UpdateResult(ms, newEpoch, u.getHeader().getID());
            })
        .onFailure(
            t ->
                LOG.warn(
                    "dns.update zone={} name={} type={} id={} result={} detail={}",
                    zone.zone(),
                    d.name(),
                    d.type(),
                    u.getHeader().getID(),
                    t instanceof DnsUpdateException x ? x.kind() : "ERROR",
                    t.getMessage()));
  }

  /**
   * Signs {@code m} with the zone's key, refuses it when too large, exchanges it with the primary
   * over TCP and returns the answer once its TSIG verified.
   */
  private Future<Message> signed(DnsZone zone, Message m, String what) {
    TsigKey key = TsigKey.of(zone.tsig());
    TSIGRecord request = key.sign(m);
    byte[] wire = m.toWire();
    if (wire.length > UpdateMessages.MAX_UPDATE_BYTES) {
      throw new DnsUpdateException(
          Kind.TOO_LARGE,
          -1,
          0,
          what
              + " is "
              + wire.length
              + " bytes, over the "
              + UpdateMessages.MAX_UPDATE_BYTES
              + "-byte limit: not sent");
    }
    ServerAddress primary = primary(zone);
    return tcp.exchange(primary.host(), primary.port(), m, wire, zone.updateTimeoutMs())
        .map(
            a -> {
              Responses.verify(key, request, a, what);
              return a.message();
            });
  }

  static ServerAddress primary(DnsZone zone) {
    try {
      return ServerAddress.parse(zone.primary());
    } catch (DnsProbeException | NullPointerException e) {
      throw new DnsUpdateException(
          Kind.PROTOCOL, -1, 0, "invalid primary '" + zone.primary() + "'");
    }
  }

  /** The zone apex, once the plan is a CHANGE of one RRset inside it. */
  private static Name checked(DnsZone zone, ChangePlan plan) {
    Name apex = Records.name(zone.zone());
    RRset e = plan.expected();
    RRset d = plan.desired();
    String problem = null;
    if (plan.kind() != ChangePlan.Kind.CHANGE) {
      problem = "plan " + plan.poolId() + " is " + plan.kind() + ", not CHANGE";
    } else if (!Records.name(e.name()).equals(Records.name(d.name()))
        || Records.type(e.type()) != Records.type(d.type())) {
      problem =
          "expected " + e.name() + "/" + e.type() + " but desired " + d.name() + "/" + d.type();
    } else if (!Records.name(d.name()).subdomain(apex)) {
      problem = d.name() + " is not in zone " + zone.zone();
    } else if (zone.epochRecord() != null && !Records.name(zone.epochRecord()).subdomain(apex)) {
      problem = "epoch record " + zone.epochRecord() + " is not in zone " + zone.zone();
    } else if (d.ttl() < 0 || d.ttl() > Integer.MAX_VALUE) {
      problem = "TTL " + d.ttl() + " out of range";
    }
    if (problem != null) {
      throw new DnsUpdateException(Kind.PROTOCOL, -1, 0, problem);
    }
    return apex;
  }

  /** Runs {@code body}, turning what it throws into a failed future. */
  private static <T> Future<T> attempt(Supplier<Future<T>> body) {
    try {
      return body.get();
    } catch (DnsUpdateException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      return Future.failedFuture(new DnsUpdateException(Kind.PROTOCOL, -1, 0, e.toString()));
    }
  }
}
