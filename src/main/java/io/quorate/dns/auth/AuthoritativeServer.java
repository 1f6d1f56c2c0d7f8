package io.quorate.dns.auth;

import io.netty.util.NetUtil;
import io.quorate.config.DnsZone;
import io.quorate.dns.Records;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * Quorate's embedded authoritative DNS server: answers for the embedded zones of a {@link
 * ZoneStore} over UDP and TCP on one port (see {@link QueryResponder} for what it answers), limits
 * UDP response rates per client network ({@link ResponseRateLimiter}), and sends NOTIFY to the
 * zones' secondaries on every change ({@link NotifySender}). All work happens on this verticle's
 * event loop; nothing blocks.
 */
public final class AuthoritativeServer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AuthoritativeServer.class);
  private static final int BIND_ATTEMPTS = 5;

  /**
   * Resource limits.
   *
   * @param maxTcpConnections TCP connections open at once; more are closed at accept
   * @param tcpIdleTimeoutMs a TCP connection without traffic for this long is closed (RFC 7766
   *     §6.2)
   * @param notifyRetryMs wait before the first NOTIFY retry (doubles each time)
   */
  public record Limits(int maxTcpConnections, long tcpIdleTimeoutMs, long notifyRetryMs) {
    public static final Limits DEFAULT = new Limits(256, 10_000, 1_000);
  }

  private final String host;
  private final int port;
  private final ZoneStore zones;
  private final List<DnsZone> embedded;
  private final AuthMetrics metrics;
  private final Clock clock;
  private final Limits limits;
  private final Map<String, DnsZone.RateLimit> rrl = new HashMap<>();
  private final PacketCache cache = new PacketCache();
  private QueryResponder responder;
  private ResponseRateLimiter limiter;
  private NotifySender notifier;
  private NetServer tcp;
  private UdpListener udp;
  private int tcpConnections;

  public AuthoritativeServer(
      String host,
      int port,
      ZoneStore zones,
      List<DnsZone> embeddedZones,
      AuthMetrics metrics,
      Clock clock) {
    this(host, port, zones, embeddedZones, metrics, clock, Limits.DEFAULT);
  }

  public AuthoritativeServer(
      String host,
      int port,
      ZoneStore zones,
      List<DnsZone> embeddedZones,
      AuthMetrics metrics,
      Clock clock,
      Limits limits) {
    this.host = host;
    this.port = port;
    this.zones = zones;
    this.embedded = embeddedZones.stream().filter(DnsZone::isEmbedded).toList();
    this.metrics = metrics;
    this.clock = clock;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    ZoneKeys keys;
    try {
      keys = new ZoneKeys(embedded);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    responder = new QueryResponder(zones, keys);
    limiter = new ResponseRateLimiter(clock);
    Map<Name, List<String>> secondaries = new HashMap<>();
    for (DnsZone z : embedded) {
      rrl.put(z.zone(), z.embedded().rrl());
      secondaries.put(Records.name(z.zone()), z.embedded().notifyServers());
      Name origin = Records.name(z.zone());
      metrics.serial(
          z.zone(), zones, s -> s.zone(origin).map(ZoneSnapshot::serial).orElse(0L).doubleValue());
    }
    notifier = new NotifySender(vertx, keys, secondaries, metrics, limits.notifyRetryMs());
    zones.onChange(notifier::changed);
    zones.onChange(z -> cache.invalidate());
    return bind(BIND_ATTEMPTS)
        .compose(v -> notifier.start(host))
        .onSuccess(
            v ->
                LOG.info(
                    "auth listening host={} port={} zones={}",
                    host,
                    actualPort(),
                    embedded.stream().map(DnsZone::zone).collect(Collectors.joining(","))));
  }

  /** TCP first (port 0 picks one), then UDP on the same number; another try if UDP's is taken. */
  private Future<Void> bind(int attemptsLeft) {
    NetServerOptions opts =
        new NetServerOptions()
            .setIdleTimeout((int) limits.tcpIdleTimeoutMs())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setTcpNoDelay(true);
    NetServer server = vertx.createNetServer(opts).connectHandler(this::onConnection);
    return server
        .listen(port, host)
        .compose(
            s ->
                udpAddress()
                    .compose(a -> UdpListener.bind(context, a, s.actualPort(), this::onPacket))
                    .recover(
                        e ->
                            server
                                .close()
                                .transform(
                                    x ->
                                        port == 0 && attemptsLeft > 1
                                            ? bind(attemptsLeft - 1).map((UdpListener) null)
                                            : Future.failedFuture(e)))
                    .map(
                        d -> {
                          if (d != null) {
                            tcp = server;
                            udp = d;
                          }
                          return null;
                        }));
  }

  /** {@link #host} as an address: a literal at once, a name resolved off the event loop. */
  private Future<InetAddress> udpAddress() {
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    if (literal == null) {
      return context.executeBlocking(() -> InetAddress.getByName(host), false);
    }
    try {
      return Future.succeededFuture(InetAddress.getByAddress(literal)); // a literal: no lookup
    } catch (UnknownHostException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<?> stop() {
    return Future.join(
        notifier == null ? Future.succeededFuture() : notifier.stop(),
        tcp == null ? Future.succeededFuture() : tcp.close(),
        udp == null ? Future.succeededFuture() : udp.close());
  }

  /** The port UDP and TCP listen on (after start). */
  public int actualPort() {
    return tcp == null ? -1 : tcp.actualPort();
  }

  /** UDP responses cached for the current zone versions (for tests). */
  int cachedResponses() {
    return cache.size();
  }

  private void onConnection(NetSocket socket) {
    if (tcpConnections >= limits.maxTcpConnections()) {
      socket.close();
      return;
    }
    tcpConnections++;
    socket.closeHandler(v -> tcpConnections--);
    new TcpSession(socket, wire -> counted(responder.respond(wire, QueryResponder.Transport.TCP)))
        .start();
  }

  /** One UDP query: the bytes to send back to {@code sender}, or {@code null} for none. */
  private byte[] onPacket(byte[] wire, InetSocketAddress sender) {
    PacketCache.Entry hit = cache.get(wire);
    if (hit != null) { // the same bytes the full path below would send (see PacketCache)
      metrics.query(hit.zone(), hit.rcode());
      return hit.responseTo(wire);
    }
    PacketCache.Generation generation = cache.generation(); // before the zones are read
    QueryResponder.Reply reply = responder.respond(wire, QueryResponder.Transport.UDP);
    if (reply.dropped()) {
      metrics.query(null, -1);
      return null;
    }
    DnsZone.RateLimit limit = reply.zone() == null ? null : rrl.get(reply.zone());
    ResponseRateLimiter.Action action =
        reply.transfer() != null || reply.query() == null || limit == null
            ? ResponseRateLimiter.Action.SEND
            : limiter.check(reply.zone(), sender.getAddress(), limit);
    if (action != ResponseRateLimiter.Action.SEND) {
      metrics.rateLimited(reply.zone(), action == ResponseRateLimiter.Action.SLIP);
      return action == ResponseRateLimiter.Action.DROP ? null : slip(reply.query());
    }
    counted(reply);
    byte[] out = reply.messages().get(0);
    if (limit == null && cacheable(reply)) {
      cache.put(generation, wire, out, reply.zone(), reply.rcode());
    }
    return out;
  }

  /** A pure function of the query bytes and the zones: unsigned, parsed, not a transfer. */
  private static boolean cacheable(QueryResponder.Reply reply) {
    return reply.transfer() == null
        && reply.query() != null
        && reply.query().getTSIG() == null
        && reply.messages().size() == 1;
  }

  private QueryResponder.Reply counted(QueryResponder.Reply reply) {
    metrics.query(reply.zone(), reply.rcode());
    if (reply.transfer() != null) {
      metrics.transfer(reply.zone(), reply.transfer(), outcome(reply.rcode()));
    }
    return reply;
  }

  private static String outcome(int rcode) {
    return rcode == Rcode.NOERROR ? "ok" : Rcode.string(rcode).toLowerCase(java.util.Locale.ROOT);
  }

  /** An empty truncated answer: a real client retries over TCP, a spoofed victim gets little. */
  private static byte[] slip(Message query) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setFlag(Flags.TC);
    if (query.getHeader().getFlag(Flags.RD)) {
      m.getHeader().setFlag(Flags.RD);
    }
    m.addRecord(query.getQuestion(), Section.QUESTION);
    return m.toWire();
  }
}
