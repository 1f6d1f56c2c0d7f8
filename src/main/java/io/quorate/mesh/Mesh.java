package io.quorate.mesh;

import io.quorate.config.LoadedConfig;
import io.quorate.config.RegionConfig;
import io.quorate.config.Secret;
import io.quorate.quorum.Vote;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed observation mesh of one agent (ADR 0005): pushes this agent's votes to every peer,
 * accepts and verifies theirs, serves and performs catch-up pulls, and reports per-peer status.
 *
 * <p>Threading: deploy it as a verticle; its context owns the senders, pull clients and timers, and
 * runs every callback ({@code votes}, {@code heardFrom}). {@link #publish}, {@link #peers} and
 * {@link #router()} may be called from any thread; the router's handlers run on the HTTP server's
 * event loop(s) and hop to the mesh context to deliver what they accept.
 */
public final class Mesh extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);

  private final Identity self;
  private final long peerFreshnessMs;
  private final long heartbeatMs;
  private final MeshTuning tuning;
  private final MeshMetrics metrics;
  private final Consumer<Vote> votes;
  private final Consumer<String> heardFrom;
  private volatile java.util.function.BiConsumer<String, MeshMessage.Receipt> receipts =
      (peer, r) -> {};
  private volatile java.util.function.BiConsumer<String, MeshMessage.Ping> pings = (peer, p) -> {};
  private volatile java.util.function.BiConsumer<String, MeshMessage.Window> windows =
      (peer, w) -> {};
  private volatile Consumer<String> leaving = peer -> {};

  /** The newest copy of every shared maintenance window this agent knows, for new links. */
  private final Map<String, MeshMessage.Window> ownWindows = new ConcurrentHashMap<>();

  private final MeshInbox inbox;
  private final Map<String, PeerLink> links = new LinkedHashMap<>();
  private final Map<String, PeerSender> senders = new ConcurrentHashMap<>();
  private final Map<String, Vote> own = new ConcurrentHashMap<>();
  private final MeshRouter router;
  private volatile boolean started;

  /** The verticle's context, published for other threads ({@code context} is not volatile). */
  private volatile Context meshContext;

  private MeshTransport transport;
  private PullClient pulls;

  /**
   * @param votes receives every accepted remote vote (stamped with this agent's receipt time; it
   *     may be older than one already given, so keep the highest obsSeq per region and target)
   * @param heardFrom told the region of every valid message or pull response
   */
  public Mesh(
      Vertx vertx,
      LoadedConfig config,
      Clock clock,
      MeshMetrics metrics,
      Consumer<Vote> votes,
      Consumer<String> heardFrom,
      MeshTuning tuning) {
    this.vertx = vertx;
    RegionConfig region = config.region();
    RegionConfig.Mesh mesh = region.mesh();
    this.self =
        new Identity(
            region.region(),
            mesh.key() == null ? null : new MeshSigner(mesh.key()),
            config.sharedHash(),
            clock);
    this.peerFreshnessMs = config.shared().quorum().peerFreshnessMs();
    this.heartbeatMs = config.shared().quorum().heartbeatMs();
    this.tuning = tuning;
    this.metrics = metrics;
    this.votes = votes;
    this.heardFrom = heardFrom;
    Map<String, Secret> keys = new LinkedHashMap<>();
    for (RegionConfig.Peer p : mesh.peers()) {
      keys.put(p.region(), p.key());
      links.put(p.region(), PeerLink.of(p));
      metrics.register(p.region());
    }
    this.inbox =
        new MeshInbox(
            keys, config.shared().quorum().maxSkewMs(), clock, config.sharedHash(), metrics);
    this.router =
        new MeshRouter(
            vertx, inbox, self, own::values, this::accepted, () -> started, tuning.pullPageMax());
  }

  /** With {@link MeshTuning#fromSystemProperties()} (the default, plus any test-only delay). */
  public Mesh(
      Vertx vertx,
      LoadedConfig config,
      Clock clock,
      MeshMetrics metrics,
      Consumer<Vote> votes,
      Consumer<String> heardFrom) {
    this(vertx, config, clock, metrics, votes, heardFrom, MeshTuning.fromSystemProperties());
  }

  /** The last message seq this agent handed out (0 before the first message). */
  public long currentSeq() {
    return self.currentSeq();
  }

  /** Every later message seq is above {@code floor} (see {@code store.SequenceFloor}). */
  public void resumeSeqAbove(long floor) {
    self.resumeAbove(floor);
  }

  /**
   * A live reload (ADR 0017): from now on messages carry {@code configHash} and peers' hashes are
   * compared with it (drift detection); the removed targets' own votes are no longer served.
   */
  public void reconfigure(String configHash, Collection<String> removedTargets) {
    self.configHash = configHash;
    inbox.configHash(configHash);
    removedTargets.forEach(own::remove);
    LOG.info("mesh reconfigured configHash={}", configHash.substring(0, 12));
  }

  /** The router to mount at {@code /api/v1/mesh} (see {@link MeshRouter}); 503 until started. */
  public Router router() {
    return router.router();
  }

  @Override
  public Future<?> start() {
    meshContext = context;
    transport = new MeshTransport(vertx, tuning);
    pulls = new PullClient(self, transport, tuning);
    for (PeerLink link : links.values()) {
      PeerSender s =
          new PeerSender(vertx, context, link, self, transport, tuning, heartbeatMs, metrics);
      own.values().forEach(s::offer);
      s.offerWindows(ownWindows.values());
      senders.put(link.region(), s);
      s.start();
      catchUp(link.region(), 0);
    }
    started = true;
    LOG.info(
        "mesh started region={} peers={} heartbeatMs={}", self.region, links.keySet(), heartbeatMs);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    started = false;
    senders.values().forEach(PeerSender::stop);
    return transport == null ? Future.succeededFuture() : transport.close();
  }

  /** Sends this agent's own vote to every peer (newest per target wins); any thread. */
  /** Tells every peer that this agent delivered an alert (see {@code alert.SendPolicy}). */
  public void publishReceipt(MeshMessage.Receipt receipt) {
    Context ctx = meshContext;
    if (ctx != null) {
      ctx.runOnContext(x -> senders.values().forEach(s -> s.offerReceipt(receipt)));
    }
  }

  /** Tells every peer that this agent received a heartbeat ping; any thread. */
  public void publishPing(MeshMessage.Ping ping) {
    Context ctx = meshContext;
    if (ctx != null) {
      ctx.runOnContext(x -> senders.values().forEach(s -> s.offerPing(ping)));
    }
  }

  /**
   * Shares maintenance windows with every peer (newest copy per id); remembered so a peer that
   * comes back gets them again at once. Any thread.
   */
  public void publishWindows(Collection<MeshMessage.Window> shared) {
    List<MeshMessage.Window> copy = List.copyOf(shared);
    copy.forEach(w -> ownWindows.merge(w.id(), w, (old, neu) -> old.olderThan(neu) ? neu : old));
    Context ctx = meshContext;
    if (ctx != null) {
      ctx.runOnContext(x -> senders.values().forEach(s -> s.offerWindows(copy)));
    }
  }

  /** Receives every peer's maintenance windows (peer region, window), on the mesh context. */
  public void onWindows(java.util.function.BiConsumer<String, MeshMessage.Window> consumer) {
    this.windows = consumer;
  }

  /**
   * Told the region of every peer that said it is stopping gracefully (ADR 0016), on the mesh
   * context, instead of {@code heardFrom} for that message.
   */
  public void onLeaving(Consumer<String> consumer) {
    this.leaving = consumer;
  }

  /**
   * Graceful stop, step 1 (ADR 0016): stops answering pushes and pulls, then sends every peer one
   * final signed message with {@code "leaving": true} (after a push in flight, carrying what is
   * pending) and sends nothing more. Completes when every peer answered or failed (each bounded by
   * the request timeout); never fails. Idempotent; call before undeploying.
   */
  public Future<Void> leave() {
    Context ctx = meshContext;
    if (ctx == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    ctx.runOnContext(
        x -> {
          started = false;
          List<Future<Void>> all = new ArrayList<>();
          senders.values().forEach(s -> all.add(s.leave()));
          Future.join(all).<Void>mapEmpty().recover(e -> Future.succeededFuture()).onComplete(done);
        });
    return done.future();
  }

  /** Receives every peer's heartbeat pings (peer region, ping), on the mesh context. */
  public void onPings(java.util.function.BiConsumer<String, MeshMessage.Ping> consumer) {
    this.pings = consumer;
  }

  /** Receives every peer's receipts (peer region, receipt), on the mesh context. */
  public void onReceipts(java.util.function.BiConsumer<String, MeshMessage.Receipt> consumer) {
    this.receipts = consumer;
  }

  public void publish(Vote ownVote) {
    own.merge(ownVote.targetId(), ownVote, (old, nu) -> nu.obsSeq() >= old.obsSeq() ? nu : old);
    Context ctx = meshContext;
    if (ctx != null) {
      ctx.runOnContext(x -> senders.values().forEach(s -> s.offer(ownVote)));
    }
  }

  /** Sends several own votes at once (they go out together, in batches of {@code batchMax}). */
  public void publish(Collection<Vote> ownVotes) {
    List<Vote> copy = List.copyOf(ownVotes);
    for (Vote v : copy) {
      own.merge(v.targetId(), v, (old, nu) -> nu.obsSeq() >= old.obsSeq() ? nu : old);
    }
    Context ctx = meshContext;
    if (ctx != null) {
      ctx.runOnContext(x -> senders.values().forEach(s -> copy.forEach(s::offer)));
    }
  }

  /**
   * Pulls {@code peer}'s votes with obsSeq above {@code since} now (also done automatically at
   * start and when a peer becomes live); resolves to the number of votes received. Any thread.
   */
  public Future<Integer> pull(String peer, long since) {
    Context ctx = meshContext;
    if (!links.containsKey(peer) || ctx == null) {
      return Future.failedFuture(new IllegalArgumentException("not a started peer: " + peer));
    }
    Promise<Integer> done = Promise.promise();
    ctx.runOnContext(x -> pullNow(peer, since).map(PullClient.Pulled::votes).onComplete(done));
    return done.future();
  }

  /** Immutable snapshots of every configured peer, in configuration order; any thread. */
  public List<PeerStatus> peers() {
    Instant now = self.clock.instant();
    List<PeerStatus> out = new ArrayList<>(links.size());
    for (PeerLedger.View v : inbox.views()) {
      PeerSender s = senders.get(v.region());
      LinkStats l = s == null ? LinkStats.NONE : s.stats();
      Long ago =
          v.lastAcceptedAt() == null ? null : Duration.between(v.lastAcceptedAt(), now).toMillis();
      out.add(
          new PeerStatus(
              v.region(),
              ago != null && ago <= peerFreshnessMs && v.leftAt() == null,
              v.lastAcceptedAt(),
              ago,
              l.rttMs(),
              l.clockOffsetMs() != null ? l.clockOffsetMs() : v.offsetMs(),
              v.configMatch(),
              v.rejected(),
              l.pending(),
              l.failures(),
              l.lastError(),
              v.leftAt()));
    }
    return List.copyOf(out);
  }

  /** Rejected pushes and pulls that named no configured peer, by reason. */
  public Map<String, Long> unknownRejections() {
    return inbox.unknownRejections();
  }

  /** Called on a server event loop by the router: deliver on the mesh context. */
  private void accepted(MeshInbox.Accepted a) {
    meshContext.runOnContext(
        x -> {
          a.message().votes().forEach(votes);
          a.message().receipts().forEach(r -> receipts.accept(a.peer(), r));
          a.message().pings().forEach(p -> pings.accept(a.peer(), p));
          a.message().windows().forEach(w -> windows.accept(a.peer(), w));
          if (a.message().leaving()) {
            leaving.accept(a.peer());
            return;
          }
          heard(a.peer());
          if (!wasLive(a.previousAcceptedAt(), a.receivedAt())) {
            catchUp(a.peer(), a.previousMaxObsSeq());
            PeerSender back = senders.get(a.peer());
            if (back != null) {
              back.offerWindows(ownWindows.values());
            }
          }
        });
  }

  private void heard(String peer) {
    metrics.lastSeen(peer, self.clock.instant());
    heardFrom.accept(peer);
    PeerSender s = senders.get(peer);
    if (s != null) {
      s.nudge();
    }
  }

  private boolean wasLive(Instant previous, Instant now) {
    return previous != null && Duration.between(previous, now).toMillis() <= peerFreshnessMs;
  }

  /** Pulls what {@code peer} published while it was not live (failures are normal then). */
  private void catchUp(String peer, long since) {
    pullNow(peer, since)
        .onSuccess(
            p -> {
              if (p.votes() > 0) {
                LOG.info(
                    "mesh caught-up peer={} since={} votes={} pages={}",
                    peer,
                    since,
                    p.votes(),
                    p.pages());
              }
            })
        .onFailure(
            e -> LOG.debug("mesh catch-up-failed peer={} error=\"{}\"", peer, e.getMessage()));
  }

  private Future<PullClient.Pulled> pullNow(String peer, long since) {
    return pulls
        .pull(links.get(peer), since, votes)
        .onSuccess(
            p -> {
              inbox.heardByPull(peer, p.lastObsSeq(), self.clock.instant());
              if (!inbox.left(peer)) {
                heard(peer);
              }
            });
  }
}
