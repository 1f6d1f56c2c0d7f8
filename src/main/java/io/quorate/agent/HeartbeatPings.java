package io.quorate.agent;

import io.quorate.config.ProbeType;
import io.quorate.config.QuorateConfig;
import io.quorate.mesh.Mesh;
import io.quorate.mesh.MeshMessage;
import io.quorate.probe.heartbeat.HeartbeatBook;
import io.quorate.probe.heartbeat.HeartbeatStore;
import io.quorate.store.Database;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where heartbeat pings go (ADR 0021): a ping this region received is shared with every peer and
 * stored; one a peer relays is recorded when it concerns a configured heartbeat target (never dated
 * in the future) and stored when newer; at start the stored pings are restored into the book before
 * any probe judges them.
 */
public final class HeartbeatPings {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPings.class);

  private final HeartbeatBook book;
  private final Mesh mesh;
  private final Clock clock;
  private final Supplier<QuorateConfig> config;
  private volatile HeartbeatStore store;

  /**
   * @param config the current shared config (it changes on a live reload)
   */
  public HeartbeatPings(
      HeartbeatBook book, Mesh mesh, Clock clock, Supplier<QuorateConfig> config) {
    this.book = book;
    this.mesh = mesh;
    this.clock = clock;
    this.config = config;
  }

  /** A ping this region received (already in the book): every peer records it too, it is stored. */
  public void received(String target, HeartbeatBook.Ping p) {
    LOG.info("heartbeat ping target={} ok={}", target, p.ok());
    mesh.publishPing(new MeshMessage.Ping(target, p.at(), p.ok(), p.msg()));
    HeartbeatStore s = store;
    if (s != null) {
      s.save(target, p);
    }
  }

  /** A ping a peer received; only for configured heartbeat targets, never dated in the future. */
  public void fromPeer(String peer, MeshMessage.Ping p) {
    boolean known =
        config.get().target(p.target()).map(t -> t.type() == ProbeType.HEARTBEAT).orElse(false);
    if (!known) {
      LOG.warn("heartbeat unknown-target peer={} target={}", peer, p.target());
      return;
    }
    Instant now = clock.instant();
    Instant at = p.at().isAfter(now) ? now : p.at();
    HeartbeatBook.Ping ping = new HeartbeatBook.Ping(at, p.ok(), p.msg());
    HeartbeatStore s = store;
    if (book.record(p.target(), ping) && s != null) {
      s.save(p.target(), ping);
    }
  }

  /** The stored last ping of every configured heartbeat target, into the book, before probing. */
  public Future<Void> restore(Database db) {
    HeartbeatStore s = new HeartbeatStore(db);
    Set<String> ids = new HashSet<>();
    config.get().targets().stream()
        .filter(t -> t.type() == ProbeType.HEARTBEAT)
        .forEach(t -> ids.add(t.id()));
    return s.load(ids)
        .map(
            stored -> {
              stored.forEach(book::record);
              if (!stored.isEmpty()) {
                LOG.info("heartbeat restored pings={}", stored.size());
              }
              store = s;
              return null;
            });
  }

  /** Completes when every ping queued for the store is written (at once before a restore). */
  public Future<Void> idle() {
    HeartbeatStore s = store;
    return s == null ? Future.succeededFuture() : s.idle();
  }
}
