package io.quorate.probe.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unconnected UDP socket shared by the queries of one event loop, for at most {@link #MAX_USES}
 * queries, after which {@link UdpPool} opens a new one (a new random source port) and this one
 * closes as soon as its last query has ended. Used only on its event loop's thread.
 *
 * <p>Answers are demultiplexed by query ID: every query on a socket gets a random ID never used
 * before on that socket, so a late answer to an ended query can never be taken for a later one. The
 * {@link UdpExchange} with the datagram's ID then accepts it only from its server's address and
 * port and with its question (RFC 5452 §9.1); datagrams from that server that are runts or carry an
 * unknown ID are counted on every query waiting on that server; anything else is dropped.
 */
final class SharedUdpSocket extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SharedUdpSocket.class);

  /** Queries per socket: bounds the live table, and re-randomises the source port this often. */
  static final int MAX_USES = 1024;

  /** Tries to draw an unused random ID before the query falls back to a socket of its own. */
  static final int ID_TRIES = 16;

  /** Kernel receive buffer: room for the answers of every query in flight at once. */
  static final int SOCKET_RECEIVE_BYTES = 1 << 20;

  private static final DatagramSocketOptions OPTIONS =
      new DatagramSocketOptions().setReceiveBufferSize(DnsTransport.UDP_RECEIVE_BYTES);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EventLoop loop;
  private final DatagramChannel channel;
  private final Future<Void> ready;
  private final Map<Integer, UdpExchange> live = new HashMap<>();
  private final BitSet used = new BitSet(1 << 16);
  private final byte[] random = new byte[256];
  private int randomPos = random.length;
  private int uses;
  private boolean retired;
  private boolean dead;
  private long dropped;

  private SharedUdpSocket(EventLoop loop, DatagramChannel channel, boolean v6) {
    this.loop = loop;
    this.channel = channel;
    channel.pipeline().addLast(this);
    channel.closeFuture().addListener(f -> onClosed());
    Promise<Void> bound = loop.newPromise();
    loop.register(channel)
        .addListener(
            r -> {
              if (!r.isSuccess()) {
                bound.tryFailure(r.cause());
                return;
              }
              channel.bind(UdpSocket.wildcard(v6)).addListener(b -> onBound(bound, b));
            });
    this.ready = bound;
  }

  private void onBound(Promise<Void> bound, Future<? super Void> bind) {
    if (bind.isSuccess()) {
      bound.trySuccess(null);
      return;
    }
    LOG.warn("shared dns udp socket bind failed error={}", String.valueOf(bind.cause()));
    dead = true;
    bound.tryFailure(bind.cause());
    channel.close();
  }

  /** Opens (registers and binds, asynchronously) a socket of the family on {@code loop}. */
  @SuppressWarnings("deprecation") // InternetProtocolFamily: what Vert.x 5 Transport takes
  static SharedUdpSocket open(VertxInternal vertx, EventLoop loop, boolean v6) {
    DatagramChannel ch =
        vertx
            .transport()
            .datagramChannel(v6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    vertx.transport().configure(ch, OPTIONS); // fixed 64 KiB read buffer: big answers whole
    ch.config().setReceiveBufferSize(SOCKET_RECEIVE_BYTES);
    ch.config().setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, false);
    return new SharedUdpSocket(loop, ch, v6);
  }

  /** Whether a new query may start here. */
  boolean usable() {
    return !retired && !dead && uses < MAX_USES;
  }

  /**
   * Starts {@code ex} with a fresh ID and its deadline in {@code budgetMs}; {@code false} when no
   * unused ID was found (the caller then uses a socket of its own).
   */
  boolean start(UdpExchange ex, long budgetMs) {
    int id = ex.query().idMayChange() ? reserveId() : reserve(ex.query().templateId());
    if (id < 0) {
      return false;
    }
    uses++;
    ex.assign(id);
    live.put(id, ex);
    ex.ownedBy(this, loop.schedule(ex::onTimeout, budgetMs, TimeUnit.MILLISECONDS));
    if (ready.isSuccess()) {
      write(ex);
    } else {
      ready.addListener(r -> whenBound(ex));
    }
    return true;
  }

  private void whenBound(UdpExchange ex) {
    if (ready.isSuccess()) {
      write(ex);
    } else {
      ex.onError(ready.cause());
    }
  }

  private void write(UdpExchange ex) {
    if (ex.isDone()) {
      return;
    }
    ex.sent(System.nanoTime());
    channel
        .writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(ex.wire()), ex.server()))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                ex.onError(f.cause());
              }
            });
  }

  /** Called by {@code ex} when it has ended: its ID stays used, its slot is freed. */
  void release(UdpExchange ex) {
    live.remove(ex.id(), ex);
    if (retired && live.isEmpty()) {
      channel.close();
    }
  }

  /** Takes no new queries; closes when the last live one has ended. */
  void retire() {
    retired = true;
    if (live.isEmpty()) {
      channel.close();
    }
  }

  private int reserveId() {
    for (int i = 0; i < ID_TRIES; i++) {
      if (randomPos == random.length) {
        RANDOM.nextBytes(random);
        randomPos = 0;
      }
      int id = ((random[randomPos] & 0xff) << 8) | (random[randomPos + 1] & 0xff);
      randomPos += 2;
      if (!used.get(id)) {
        used.set(id);
        return id;
      }
    }
    return -1;
  }

  private int reserve(int id) {
    if (used.get(id)) {
      return -1;
    }
    used.set(id);
    return id;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket packet)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      route(packet.sender(), packet.content());
    } finally {
      packet.release();
    }
  }

  private void route(InetSocketAddress sender, ByteBuf content) {
    if (content.readableBytes() < UdpExchange.HEADER_BYTES) {
      forServer(sender, -1);
      return;
    }
    int id = content.getUnsignedShort(content.readerIndex());
    UdpExchange ex = live.get(id);
    if (ex != null) {
      ex.onPacket(sender, ByteBufUtil.getBytes(content));
    } else if (used.get(id)) {
      dropped++; // a late answer to a query that has ended; its ID is never reused here
    } else {
      forServer(sender, id);
    }
  }

  /** A runt ({@code id < 0}) or an unknown ID from {@code sender}: noted on its queries. */
  private void forServer(InetSocketAddress sender, int id) {
    boolean any = false;
    for (UdpExchange ex : live.values()) { // at most MAX_USES
      if (ex.server().equals(sender)) {
        any = true;
        if (id < 0) {
          ex.noteRunt();
        } else {
          ex.noteWrongId(id);
        }
      }
    }
    if (!any) {
      dropped++;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("shared dns udp socket error={}", cause.toString());
  }

  private void onClosed() {
    dead = true;
    if (dropped > 0) {
      LOG.debug("shared dns udp socket closed, {} stray datagram(s) dropped", dropped);
    }
    for (UdpExchange ex : new ArrayList<>(live.values())) {
      ex.onError(new IOException("UDP socket closed"));
    }
  }
}
