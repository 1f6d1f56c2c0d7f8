package io.quorate.probe.dns;

import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.quorate.probe.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * Sends one dnsjava {@link Message} to a server and returns its validated answer, over the event
 * loop's {@link SharedUdpSocket} (demultiplexed by a random ID unused on that socket; a fresh
 * socket and source port every {@link SharedUdpSocket#MAX_USES} queries) or a Vert.x {@link
 * NetClient} connection. dnsjava is used for the wire format only, never for I/O.
 *
 * <p>Every exchange ends by its deadline (an absolute {@link System#nanoTime()} value); a TCP
 * connection is closed before its future completes. Failures are {@link DnsProbeException}s.
 */
public final class DnsTransport {
  /**
   * A datagram up to the largest DNS message (65,535 bytes, RFC 1035 §4.2.1 length field) is
   * received whole: Netty's default fixed 2,048-byte read buffer would cut a larger answer from a
   * misbehaving server short and make it look malformed. Vert.x sets SO_RCVBUF and a fixed {@code
   * RecvByteBufAllocator} of this size from {@link DatagramSocketOptions#setReceiveBufferSize}.
   */
  static final int UDP_RECEIVE_BYTES = 65_536;

  private final Vertx vertx;
  private final NetClient tcp;
  private final Function<String, Future<InetAddress>> resolver;

  public DnsTransport(Vertx vertx) {
    this(vertx, host -> ((VertxInternal) vertx).nameResolver().resolve(host));
  }

  /** With another name resolver (tests: one that never answers, or answers from a table). */
  DnsTransport(Vertx vertx, Function<String, Future<InetAddress>> resolver) {
    this.vertx = vertx;
    this.resolver = resolver;
    this.tcp = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
  }

  /**
   * The IP literal for {@code host}: literals as they are, names through the (Vert.x non-blocking)
   * resolver. That resolver has its own timeouts and retries, so the wait is cut at {@code
   * deadlineNanos}: TIMEOUT "name resolution timed out". Other failures are UNREACHABLE.
   */
  public Future<String> resolve(String host, long deadlineNanos) {
    if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
      return Future.succeededFuture(host);
    }
    long budget = remainingMs(deadlineNanos);
    if (budget <= 0) {
      return Future.failedFuture(resolutionTimedOut());
    }
    Future<InetAddress> lookup;
    try {
      lookup = resolver.apply(host);
    } catch (RuntimeException e) {
      lookup = Future.failedFuture(e);
    }
    return lookup
        .timeout(budget, TimeUnit.MILLISECONDS)
        .map(NetUtil::toAddressString) // RFC 5952 form for IPv6
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof TimeoutException
                        ? resolutionTimedOut()
                        : new DnsProbeException(
                            ErrorKind.UNREACHABLE,
                            "cannot resolve " + host + ": " + e.getMessage())));
  }

  private static DnsProbeException resolutionTimedOut() {
    return new DnsProbeException(ErrorKind.TIMEOUT, "name resolution timed out");
  }

  /**
   * UDP first; when the answer has TC set, the same question again over TCP (RFC 7766 §5) under a
   * new ID. {@code forceTcp} skips UDP.
   */
  public Future<DnsExchange> query(
      String ip, int port, Message query, boolean forceTcp, long deadlineNanos) {
    return query(ip, port, EncodedQuery.of(query), forceTcp, deadlineNanos);
  }

  /** {@link #query(String, int, Message, boolean, long)} for a query encoded beforehand. */
  Future<DnsExchange> query(
      String ip, int port, EncodedQuery query, boolean forceTcp, long deadlineNanos) {
    if (forceTcp) {
      return tcp(ip, port, freshId(query), deadlineNanos);
    }
    return udp(ip, port, query, deadlineNanos)
        .compose(
            ex -> {
              if (!ex.response().getHeader().getFlag(Flags.TC)) {
                return Future.succeededFuture(ex);
              }
              return tcp(ip, port, DnsMessages.withNewId(query.message()), deadlineNanos)
                  .map(DnsExchange::afterTruncation)
                  .recover(
                      e ->
                          Future.failedFuture(
                              DnsProbeException.of("tcp", e)
                                  .prefixed("UDP answer truncated, TCP retry failed")));
            });
  }

  private static Message freshId(EncodedQuery query) {
    return query.idMayChange() ? DnsMessages.withNewId(query.message()) : query.message();
  }

  /**
   * One query over UDP, on the event loop's {@link SharedUdpSocket} under an ID unused on that
   * socket (a socket of its own, fresh random port, when none is free). The query's own ID is kept
   * only for a signed message.
   */
  public Future<DnsExchange> udp(String ip, int port, Message query, long deadlineNanos) {
    return udp(ip, port, EncodedQuery.of(query), deadlineNanos);
  }

  Future<DnsExchange> udp(String ip, int port, EncodedQuery query, long deadlineNanos) {
    long budget = remainingMs(deadlineNanos);
    if (budget <= 0) {
      return Future.failedFuture(new DnsProbeException(ErrorKind.TIMEOUT, "no time left for UDP"));
    }
    InetSocketAddress server;
    try { // an IP literal (see resolve): no lookup happens here
      server =
          new InetSocketAddress(
              InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(ip)), port);
    } catch (UnknownHostException | IllegalArgumentException e) { // null: not a literal
      return Future.failedFuture(new DnsProbeException(ErrorKind.INTERNAL, "bad address " + ip));
    }
    UdpExchange ex = new UdpExchange(server, query);
    EventLoop loop = ((VertxInternal) vertx).getOrCreateContext().nettyEventLoop();
    if (loop.inEventLoop()) {
      start(loop, ex, budget);
    } else {
      loop.execute(() -> start(loop, ex, budget));
    }
    return ex.future();
  }

  private void start(EventLoop loop, UdpExchange ex, long budgetMs) {
    boolean v6 = ex.server().getAddress() instanceof Inet6Address;
    SharedUdpSocket shared = UdpPool.socket((VertxInternal) vertx, loop, v6);
    if (shared == null || !shared.start(ex, budgetMs)) {
      ownSocket(ex, budgetMs);
    }
  }

  /** The fallback: a socket of its own for this query, closed when it ends. */
  private void ownSocket(UdpExchange ex, long budgetMs) {
    EncodedQuery q = ex.query();
    ex.assign(q.idMayChange() ? DnsMessages.randomId() : q.templateId());
    UdpSocket socket = UdpSocket.open(vertx, ex.server(), ex);
    long timer = vertx.setTimer(Math.max(1, budgetMs), id -> ex.onTimeout());
    socket.send(ex.wire(), ex.server()).onFailure(ex::onError);
    ex.future()
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              socket.close();
            });
  }

  /** One query over a new TCP connection, closed afterwards. */
  public Future<DnsExchange> tcp(String ip, int port, Message query, long deadlineNanos) {
    long budget = remainingMs(deadlineNanos);
    if (budget <= 0) {
      return Future.failedFuture(new DnsProbeException(ErrorKind.TIMEOUT, "no time left for TCP"));
    }
    TcpExchange wait = new TcpExchange(query);
    long connectStart = System.nanoTime();
    long timer = vertx.setTimer(budget, id -> wait.onTimeout());
    Future<NetSocket> connect =
        tcp.connect(new ConnectOptions().setHost(ip).setPort(port).setTimeout((int) budget));
    connect.onComplete(
        ar -> {
          if (ar.failed()) {
            wait.onError(ar.cause());
          } else if (wait.isDone()) {
            ar.result().close(); // the deadline passed while connecting
          } else {
            wait.start(ar.result(), connectStart);
          }
        });
    return wait.future()
        .eventually(
            () -> {
              vertx.cancelTimer(timer);
              return connect.succeeded()
                  ? connect.result().close().otherwiseEmpty()
                  : Future.succeededFuture();
            });
  }

  /** Releases the TCP client. */
  public Future<Void> close() {
    return tcp.close();
  }

  static long remainingMs(long deadlineNanos) {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
  }
}
