package io.quorate.agent;

import io.quorate.config.QuorateConfig;
import io.quorate.quorum.ActionGate;
import io.quorate.quorum.QuorumEngine;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.quorum.Vote;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Owns the {@link QuorumEngine} and the {@link ActionGate} on one event-loop context: every
 * mutation hops onto it, so the pure, single-threaded components need no locks. Readers get
 * immutable snapshots (verdicts per target, the gate's status) published after each mutation.
 */
public final class QuorumService {
  /** How often votes are re-judged for freshness and peers for liveness. */
  static final long SWEEP_MS = 250;

  private final Vertx vertx;
  private final Context ctx;
  private volatile QuorateConfig config;
  private final String self;
  private final QuorumEngine engine;
  private final ActionGate gate;
  private final Consumer<VerdictChange> onVerdict;
  private final Consumer<GateStatus> onGate;
  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
  private volatile GateStatus status;
  private final io.quorate.lifecycle.Periodic sweeper;

  /**
   * What the gate says now (immutable).
   *
   * @param quorate fresh heartbeats from at least quorum regions, this one included
   * @param settled the settle period is over and a quorum of regions delivered observations
   * @param rank this region's writer rank among live regions, -1 when not quorate
   * @param live live regions in rank order
   */
  public record GateStatus(boolean quorate, boolean settled, int rank, List<String> live) {}

  public QuorumService(
      Vertx vertx,
      QuorateConfig config,
      String self,
      Clock clock,
      long settleMs,
      Consumer<VerdictChange> onVerdict,
      Consumer<GateStatus> onGate) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.config = config;
    this.self = self;
    this.engine = new QuorumEngine(config, clock);
    this.gate =
        new ActionGate(
            config.regions(),
            self,
            config.quorum().size(),
            config.quorum().peerFreshnessMs(),
            settleMs,
            config.quorum().standbyMs(),
            clock);
    this.onVerdict = onVerdict;
    this.onGate = onGate;
    engine.verdicts().forEach(v -> verdicts.put(v.targetId(), v));
    this.status = snapshotGate();
    this.sweeper = new io.quorate.lifecycle.Periodic(vertx, ctx, SWEEP_MS, this::sweep);
  }

  public void start() {
    sweeper.start(null);
  }

  /** Cancels the sweep (verdicts then stay as they are); idempotent, also before a start. */
  public Future<Void> stop() {
    return sweeper.stop();
  }

  /**
   * A live reload (ADR 0017), on the owner context: the engine forgets removed targets and restarts
   * {@code restart} (added and changed), keeping every other target's votes and verdict; then a
   * sweep publishes the result. Completes once applied.
   */
  public io.vertx.core.Future<Void> reconfigure(QuorateConfig next, java.util.Set<String> restart) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    ctx.runOnContext(
        v -> {
          engine.reconfigure(next, restart);
          java.util.Set<String> ids = new java.util.HashSet<>();
          for (io.quorate.config.Target t : next.targets()) {
            ids.add(t.id());
            verdicts.put(t.id(), engine.verdict(t.id()));
          }
          verdicts.keySet().retainAll(ids);
          config = next;
          sweep();
          p.complete();
        });
    return p.future();
  }

  /** A vote, this region's own or a peer's (already stamped with our receive time). */
  public void vote(Vote vote) {
    ctx.runOnContext(
        v -> {
          gate.observed(vote.region());
          engine.acceptAll(vote).forEach(this::changed);
          Verdict now = engine.verdict(vote.targetId());
          if (now != null) {
            verdicts.put(now.targetId(), now);
          }
          publishGate();
        });
  }

  /** {@code region} said it is stopping gracefully: drop it from the live set now (ADR 0016). */
  public void left(String region) {
    ctx.runOnContext(
        v -> {
          gate.left(region);
          publishGate();
        });
  }

  /** A valid mesh message (votes or a heartbeat) arrived from {@code region}. */
  public void heard(String region) {
    ctx.runOnContext(
        v -> {
          gate.heard(region);
          publishGate();
        });
  }

  private void sweep() {
    // Only verdicts the sweep replaced differ from the published ones; they are published after
    // the change callbacks, as a full re-publication would be.
    List<Verdict> replaced = new ArrayList<>();
    engine.sweep(replaced::add).forEach(this::changed);
    replaced.forEach(v -> verdicts.put(v.targetId(), v));
    publishGate();
  }

  private void changed(VerdictChange c) {
    verdicts.put(c.after().targetId(), c.after());
    onVerdict.accept(c);
  }

  private void publishGate() {
    GateStatus now = snapshotGate();
    GateStatus before = status;
    status = now;
    if (!now.equals(before)) {
      onGate.accept(now);
    }
  }

  private GateStatus snapshotGate() {
    return new GateStatus(gate.quorate(), gate.settled(), gate.rank(), gate.liveRegions());
  }

  /**
   * Whether this agent may act now on something that has been due since {@code dueSince} (writer
   * rank, standby, quorate, settled), decided on the gate's own context.
   */
  public io.vertx.core.Future<io.quorate.quorum.Decision> decide(java.time.Instant dueSince) {
    io.vertx.core.Promise<io.quorate.quorum.Decision> p = io.vertx.core.Promise.promise();
    ctx.runOnContext(v -> p.complete(gate.decide(dueSince)));
    return p.future();
  }

  /** {@link io.quorate.quorum.ActionGate#decideLocal()}, on the gate's own context. */
  public io.vertx.core.Future<io.quorate.quorum.Decision> decideLocal() {
    io.vertx.core.Promise<io.quorate.quorum.Decision> p = io.vertx.core.Promise.promise();
    ctx.runOnContext(v -> p.complete(gate.decideLocal()));
    return p.future();
  }

  /** The latest verdict of each target, in config order. */
  public List<Verdict> verdicts() {
    return config.targets().stream()
        .map(t -> verdicts.get(t.id()))
        .filter(java.util.Objects::nonNull) // a target a reload is adding this instant
        .toList();
  }

  public Verdict verdict(String targetId) {
    return verdicts.get(targetId);
  }

  public GateStatus gate() {
    return status;
  }

  public String self() {
    return self;
  }
}
