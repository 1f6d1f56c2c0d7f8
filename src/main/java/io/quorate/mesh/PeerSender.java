package io.quorate.mesh;

import io.quorate.mesh.MeshTransport.MeshSendException;
import io.quorate.mesh.MeshTransport.Reply;
import io.quorate.quorum.Vote;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes this agent's votes to one peer. Confined to the mesh verticle's context: not thread-safe,
 * call only there. Keeps the newest pending vote per target (bounded memory while the peer is
 * down), sends one POST at a time with up to {@code batchMax} votes, a heartbeat after {@code
 * heartbeatMs} without a push, and retries failures with jittered exponential backoff (capped so a
 * healed partition is noticed within seconds). A failed batch goes back to pending unless a newer
 * vote for the same target arrived meanwhile.
 */
final class PeerSender {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSender.class);
  static final String PATH = "/api/v1/mesh/observations";

  private final Vertx vertx;
  private final Context context;
  private final PeerLink peer;
  private final Identity self;
  private final MeshTransport transport;
  private final MeshTuning tuning;
  private final long heartbeatMs;
  private final MeshMetrics metrics;
  private final MeshCodec codec = new MeshCodec();
  private final SplittableRandom random = new SplittableRandom();
  private final Map<String, Vote> pending = new LinkedHashMap<>();

  /** Alert receipts not yet sent to this peer (bounded: the oldest are dropped first). */
  private final java.util.LinkedHashSet<MeshMessage.Receipt> pendingReceipts =
      new java.util.LinkedHashSet<>();

  static final int MAX_PENDING_RECEIPTS = 10_000;

  /** Heartbeat pings not yet sent to this peer, newest per target (bounded like receipts). */
  private final java.util.LinkedHashMap<String, MeshMessage.Ping> pendingPings =
      new java.util.LinkedHashMap<>();

  static final int MAX_PENDING_PINGS = MeshCodec.MAX_PINGS;

  /** Maintenance windows not yet sent to this peer, newest copy per id (bounded). */
  private final java.util.LinkedHashMap<String, MeshMessage.Window> pendingWindows =
      new java.util.LinkedHashMap<>();

  static final int MAX_PENDING_WINDOWS = 10_000;
  private boolean inFlight;
  private boolean backingOff;
  private boolean pumpQueued;
  private boolean stopped;
  private io.vertx.core.Promise<Void> leaving;
  private long timer = -1;
  private int failures;
  private int batchLimit;
  private volatile LinkStats stats = LinkStats.NONE;

  PeerSender(
      Vertx vertx,
      Context context,
      PeerLink peer,
      Identity self,
      MeshTransport transport,
      MeshTuning tuning,
      long heartbeatMs,
      MeshMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.peer = peer;
    this.self = self;
    this.transport = transport;
    this.tuning = tuning;
    this.heartbeatMs = heartbeatMs;
    this.metrics = metrics;
    this.batchLimit = tuning.batchMax();
  }

  /** Starts the link with a heartbeat, so the peer learns at once that this agent is up. */
  void start() {
    send();
  }

  void stop() {
    stopped = true;
    cancelTimer();
  }

  /**
   * Sends nothing more except one final message with {@code "leaving": true} and whatever is
   * pending, after the push in flight (so it is the highest seq the peer sees). Completes when it
   * was answered or failed (the transport's deadline bounds it); never fails. Idempotent.
   */
  Future<Void> leave() {
    if (leaving == null) {
      stopped = true;
      cancelTimer();
      leaving = io.vertx.core.Promise.promise();
      if (!inFlight) {
        send(true);
      }
    }
    return leaving.future();
  }

  private void left(long seq, io.vertx.core.AsyncResult<?> ar) {
    if (ar.succeeded()) {
      LOG.info("mesh left peer={} seq={}", peer.region(), seq);
    } else {
      LOG.warn(
          "mesh leave-unacknowledged peer={} error=\"{}\" (it drops this region after"
              + " peerFreshnessMs instead)",
          peer.region(),
          ar.cause().getMessage());
    }
    leaving.complete();
  }

  private RequestOptions request(Buffer body) {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(peer.url() + PATH)
        .putHeader("Content-Type", "application/json")
        .putHeader(MeshTransport.REGION, self.region)
        .putHeader(MeshTransport.SIGNATURE, self.signer.sign(body));
  }

  /** Queues {@code v} (replacing an older pending vote for its target) and sends soon. */
  void offer(Vote v) {
    pending.merge(v.targetId(), v, (old, nu) -> nu.obsSeq() >= old.obsSeq() ? nu : old);
    if (!pumpQueued) {
      // Same-tick batching: everything offered in this event-loop turn goes in one push.
      pumpQueued = true;
      context.runOnContext(
          x -> {
            pumpQueued = false;
            pump();
          });
    }
  }

  /** Queues an alert receipt; it goes out with the next push or heartbeat. */
  void offerReceipt(MeshMessage.Receipt r) {
    pendingReceipts.add(r);
    while (pendingReceipts.size() > MAX_PENDING_RECEIPTS) {
      pendingReceipts.remove(pendingReceipts.iterator().next());
    }
    offerNothing();
  }

  /** Queues a heartbeat ping (newest per target); it goes out with the next push. */
  void offerPing(MeshMessage.Ping p) {
    requeuePing(p);
    offerNothing();
  }

  private void requeuePing(MeshMessage.Ping p) {
    pendingPings.merge(p.target(), p, (old, neu) -> neu.at().isAfter(old.at()) ? neu : old);
    while (pendingPings.size() > MAX_PENDING_PINGS) {
      pendingPings.remove(pendingPings.keySet().iterator().next());
    }
  }

  /** Queues maintenance windows (newest copy per id); they go out with the next pushes. */
  void offerWindows(java.util.Collection<MeshMessage.Window> windows) {
    windows.forEach(this::requeueWindow);
    offerNothing();
  }

  private void requeueWindow(MeshMessage.Window w) {
    pendingWindows.merge(w.id(), w, (old, neu) -> old.olderThan(neu) ? neu : old);
    while (pendingWindows.size() > MAX_PENDING_WINDOWS) {
      pendingWindows.remove(pendingWindows.keySet().iterator().next());
    }
  }

  private List<MeshMessage.Window> takeWindows() {
    List<MeshMessage.Window> out = new ArrayList<>();
    Iterator<MeshMessage.Window> it = pendingWindows.values().iterator();
    while (it.hasNext() && out.size() < MeshCodec.MAX_WINDOWS) {
      out.add(it.next());
      it.remove();
    }
    return out;
  }

  private void offerNothing() {
    if (!pumpQueued) {
      pumpQueued = true;
      context.runOnContext(
          x -> {
            pumpQueued = false;
            pump();
          });
    }
  }

  /** The peer was heard from: if backing off, retry now instead of waiting. */
  void nudge() {
    if (backingOff && !inFlight && !stopped) {
      backingOff = false;
      send();
    }
  }

  LinkStats stats() {
    return stats;
  }

  private void pump() {
    if (inFlight || backingOff || stopped) {
      return;
    }
    if (pending.isEmpty()
        && pendingReceipts.isEmpty()
        && pendingPings.isEmpty()
        && pendingWindows.isEmpty()) {
      armHeartbeat();
    } else {
      send();
    }
  }

  private void armHeartbeat() {
    cancelTimer();
    timer =
        vertx.setTimer(
            heartbeatMs,
            id -> {
              timer = -1;
              if (!inFlight && !backingOff && !stopped) {
                send();
              }
            });
  }

  private void send() {
    send(false);
  }

  /** One push; {@code last}: the final one, with {@code "leaving": true} (see {@link #leave}). */
  private void send(boolean last) {
    cancelTimer();
    if (stopped && !last) {
      return;
    }
    inFlight = true;
    List<Vote> sent = takeBatch();
    List<MeshMessage.Receipt> receipts = takeReceipts();
    List<MeshMessage.Ping> pings = new ArrayList<>(pendingPings.values());
    pendingPings.clear();
    List<MeshMessage.Window> windows = takeWindows();
    long seq = self.nextSeq();
    Buffer body = encodeWithinLimit(sent, receipts, pings, windows, seq, last);
    RequestOptions req = request(body);
    long startWall = self.clock.millis();
    long startNanos = System.nanoTime();
    transport
        .exchange(req, body)
        .compose(reply -> ack(reply, seq, startWall, (System.nanoTime() - startNanos) / 1_000_000))
        .onComplete(
            ar -> {
              inFlight = false;
              if (last) {
                left(seq, ar);
              } else if (ar.succeeded()) {
                succeeded(sent.size(), ar.result());
              } else {
                pendingReceipts.addAll(receipts);
                pings.forEach(this::requeuePing);
                windows.forEach(this::requeueWindow);
                failed(sent, ar.cause());
              }
              if (!last && leaving != null && !leaving.future().isComplete()) {
                send(true);
              }
            });
  }

  /**
   * Encodes {@code batch}; while the body is over the receiver's limit, moves the batch's second
   * half back to pending (halving: at most log2(batchMax) turns).
   */
  private Buffer encodeWithinLimit(
      List<Vote> batch,
      List<MeshMessage.Receipt> receipts,
      List<MeshMessage.Ping> pings,
      List<MeshMessage.Window> windows,
      long seq,
      boolean last) {
    while (true) {
      Buffer body =
          codec.encode(
              new MeshMessage(
                  self.region,
                  seq,
                  self.clock.instant(),
                  self.configHash,
                  batch,
                  receipts,
                  pings,
                  windows,
                  last));
      if (body.length() <= MeshCodec.MAX_BODY_BYTES || batch.size() <= 1) {
        return body;
      }
      List<Vote> tail = batch.subList(batch.size() / 2, batch.size());
      requeue(new ArrayList<>(tail));
      tail.clear();
    }
  }

  private List<MeshMessage.Receipt> takeReceipts() {
    List<MeshMessage.Receipt> out = new ArrayList<>();
    Iterator<MeshMessage.Receipt> it = pendingReceipts.iterator();
    while (it.hasNext() && out.size() < MeshCodec.MAX_RECEIPTS) {
      out.add(it.next());
      it.remove();
    }
    return out;
  }

  private List<Vote> takeBatch() {
    List<Vote> batch = new ArrayList<>(Math.min(pending.size(), batchLimit));
    Iterator<Vote> it = pending.values().iterator();
    while (it.hasNext() && batch.size() < batchLimit) {
      batch.add(it.next());
      it.remove();
    }
    return batch;
  }

  private void requeue(List<Vote> votes) {
    for (Vote v : votes) {
      pending.merge(
          v.targetId(),
          v,
          (existing, failed) -> existing.obsSeq() >= failed.obsSeq() ? existing : failed);
    }
  }

  /** RTT and NTP-style offset: peer time at receipt minus our time at the midpoint. */
  private record Measured(long rttMs, long offsetMs) {}

  private Future<Measured> ack(Reply r, long seq, long startWall, long rttMs) {
    if (!peer.verifier().verify(r.body(), r.signature()) || !peer.region().equals(r.region())) {
      return Future.failedFuture(
          new MeshSendException(
              "HTTP " + r.status() + " without a valid signature of " + peer.region()));
    }
    if (r.status() != 200) {
      return refused(r, startWall, rttMs);
    }
    try {
      MeshCodec.Ack a = codec.decodeAck(r.body());
      if (!a.region().equals(peer.region()) || a.seq() != seq) {
        return Future.failedFuture(new MeshSendException("ack does not match the push"));
      }
      return Future.succeededFuture(new Measured(rttMs, offset(a.receivedAt(), startWall, rttMs)));
    } catch (MeshRejection e) {
      return Future.failedFuture(new MeshSendException("bad ack: " + e.detail()));
    }
  }

  /** A signed refusal: keep its reason, and the offset when the peer said when it received it. */
  private Future<Measured> refused(Reply r, long startWall, long rttMs) {
    String reason = "HTTP " + r.status();
    try {
      JsonObject p = r.body().toJsonObject();
      reason = "refused: " + StrictJson.clip(String.valueOf(p.getValue("reason")), 32);
      if (p.getValue("receivedAt") instanceof String s) {
        long offsetMs = offset(Instant.parse(s), startWall, rttMs);
        stats =
            new LinkStats(
                stats.lastAckAt(),
                stats.rttMs(),
                offsetMs,
                stats.failures(),
                stats.lastError(),
                stats.pending());
        metrics.offset(peer.region(), offsetMs);
      }
    } catch (RuntimeException e) {
      // an unreadable refusal keeps the bare status
    }
    if (r.status() == 413) {
      batchLimit = Math.max(1, batchLimit / 2);
    }
    return Future.failedFuture(new MeshSendException(reason));
  }

  private static long offset(Instant peerReceivedAt, long startWall, long rttMs) {
    return peerReceivedAt.toEpochMilli() - (startWall + rttMs / 2);
  }

  private void succeeded(int votes, Measured m) {
    if (failures > 0) {
      LOG.info(
          "mesh link-up peer={} after={} failures rttMs={}", peer.region(), failures, m.rttMs());
    }
    failures = 0;
    metrics.sent(peer.region(), votes, m.rttMs(), m.offsetMs());
    stats = new LinkStats(self.clock.instant(), m.rttMs(), m.offsetMs(), 0, null, pending.size());
    pump();
  }

  private void failed(List<Vote> batch, Throwable cause) {
    requeue(batch);
    failures++;
    metrics.sendFailed(peer.region());
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (failures == 1 || !why.equals(stats.lastError())) {
      LOG.warn("mesh link-failing peer={} failures={} error=\"{}\"", peer.region(), failures, why);
    }
    stats =
        new LinkStats(
            stats.lastAckAt(), stats.rttMs(), stats.clockOffsetMs(), failures, why, pending.size());
    if (stopped) {
      return;
    }
    backingOff = true;
    cancelTimer();
    timer =
        vertx.setTimer(
            backoffMs(),
            id -> {
              timer = -1;
              backingOff = false;
              if (!inFlight && !stopped) {
                send();
              }
            });
  }

  /** Equal jitter: half the exponential step fixed, half random; capped. */
  long backoffMs() {
    int exp = Math.min(failures - 1, 20);
    long step = Math.min(tuning.backoffCapMs(), tuning.backoffBaseMs() << exp);
    return step / 2 + random.nextLong(step / 2 + 1);
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
