package io.quorate.alert;

import io.quorate.agent.QuorumService;
import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.mesh.PeerStatus;
import io.quorate.probe.ProbeResult;
import io.quorate.quorum.VerdictChange;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The agent's alert sources in one place, on one context: verdict transitions, failover events,
 * quorum lost/regained (about this region), peer regions lost/regained, config drift and clock skew
 * (from the mesh's peer status), certificates expiring (from probe results); each becomes an {@link
 * AlertEvent} for the {@link AlertRouter}. Peer-derived events are raised only while this agent is
 * quorate (a cut-off agent would otherwise report every peer as lost).
 */
public final class AlertService {
  /** How often reminders, storm windows and peer status are checked. */
  public static final long TICK_MS = 2_000;

  /** Days before expiry at which a certificate event is raised, once each. */
  public static final List<Integer> CERT_DAYS = List.of(21, 14, 7);

  private final Vertx vertx;
  private final Context ctx;
  private volatile QuorateConfig config;
  private final String self;
  private final Clock clock;
  private final AlertRouter router;
  private final Supplier<QuorumService.GateStatus> gate;
  private final Supplier<List<PeerStatus>> peers;
  private final Map<String, Boolean> peerLive = new HashMap<>();
  private final Set<String> drifted = new HashSet<>();
  private final Set<String> skewed = new HashSet<>();

  /** Without new identity clashes this long, a later one is raised again. */
  static final java.time.Duration CLASH_QUIET = java.time.Duration.ofMinutes(10);

  private final Map<String, Long> clashCounts = new java.util.HashMap<>();
  private final Map<String, Instant> clashSeen = new java.util.HashMap<>();
  private final Set<String> clashing = new HashSet<>();
  private final Set<String> certsRaised = new HashSet<>();
  private volatile java.util.function.Predicate<String> inMaintenance = target -> false;
  private boolean wasQuorate;
  private boolean lostQuorum;
  private final io.quorate.lifecycle.Periodic ticker;

  /** Peers that stopped gracefully (ADR 0016): neither their leaving nor their return is news. */
  private final Set<String> left = new HashSet<>();

  public AlertService(
      Vertx vertx,
      QuorateConfig config,
      String self,
      Clock clock,
      AlertRouter router,
      Supplier<QuorumService.GateStatus> gate,
      Supplier<List<PeerStatus>> peers) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.config = config;
    this.self = self;
    this.clock = clock;
    this.router = router;
    this.gate = gate;
    this.peers = peers;
    this.ticker = new io.quorate.lifecycle.Periodic(vertx, ctx, TICK_MS, this::tick);
  }

  /**
   * A live reload (ADR 0017): target and group look-ups use {@code next} from now on, and the
   * router takes its {@code alerts} rules and storm limits on this service's context, between two
   * events (see {@link AlertRouter#reconfigure}). Peer, quorum and certificate state is kept.
   * Completes once the router has them.
   */
  public Future<Void> reconfigure(QuorateConfig next) {
    this.config = next;
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    ctx.runOnContext(
        v -> {
          router.reconfigure(next.alerts());
          done.complete();
        });
    return done.future();
  }

  public void start() {
    ticker.start(null);
  }

  /** Cancels the tick; raises nothing more afterwards. Idempotent, also before a start. */
  public Future<Void> stop() {
    return ticker.stop();
  }

  /** Raises an event built elsewhere (e.g. a disabled channel); nothing once stopped. */
  public void raise(AlertEvent e) {
    ctx.runOnContext(
        v -> {
          if (!ticker.stopped()) {
            router.raise(e);
          }
        });
  }

  /**
   * Targets inside a maintenance occurrence: their verdict changes raise nothing (the overlay
   * raises one alert when the window ends on a target still DOWN or DEGRADED; ADR 0014).
   */
  public void suppressVerdicts(java.util.function.Predicate<String> covered) {
    this.inMaintenance = covered;
  }

  public void onVerdict(VerdictChange c) {
    if (inMaintenance.test(c.after().targetId())) {
      return;
    }
    String group = config.target(c.after().targetId()).map(Target::group).orElse(null);
    AlertEvents.verdict(c, group, self).ifPresent(this::raise);
  }

  /** A failover executor event ({@code pool.changed}, {@code pool.fail-open}, …). */
  public void onPoolEvent(String kind, Map<String, Object> data) {
    AlertEvents.pool(kind, data, clock.instant(), self).ifPresent(this::raise);
  }

  /**
   * Quorum lost, and regained after a loss; the first quorum after start is not news (every agent
   * starts not quorate).
   */
  public void onGate(QuorumService.GateStatus g) {
    ctx.runOnContext(
        v -> {
          if (!ticker.stopped() && g.quorate() != wasQuorate && (!g.quorate() || lostQuorum)) {
            router.raise(AlertEvents.quorum(g.quorate(), self, clock.instant()));
          }
          lostQuorum |= wasQuorate && !g.quorate();
          wasQuorate = g.quorate();
        });
  }

  /** A probe result: certificate expiry thresholds. */
  public void onResult(ProbeResult r) {
    if (r.tls() == null || r.tls().notAfter() == null) {
      return;
    }
    long days = r.tls().daysLeft();
    for (int threshold : CERT_DAYS) {
      if (days <= threshold) {
        String key = r.targetId() + "|" + threshold + "|" + r.tls().notAfter();
        ctx.runOnContext(
            v -> {
              if (!ticker.stopped() && certsRaised.add(key)) {
                String group = config.target(r.targetId()).map(Target::group).orElse(null);
                router.raise(
                    AlertEvents.certExpiring(
                        r.targetId(), group, threshold, r.tls().notAfter(), self, clock.instant()));
              }
            });
        return; // the smallest threshold reached is raised once; larger ones are implied
      }
    }
  }

  private void tick() {
    router.tick();
    QuorumService.GateStatus g = gate.get();
    boolean quorate = g != null && g.quorate();
    Instant now = clock.instant();
    long maxSkew = config.quorum().maxSkewMs();
    for (PeerStatus p : peers.get()) {
      Boolean before = peerLive.put(p.region(), p.live());
      // tracked on every tick: a leave seen by this agent's first tick (or while not quorate)
      // must still make the peer's return quiet
      boolean quiet = leftQuietly(p);
      if (quorate && before != null && before != p.live() && !quiet) {
        router.raise(AlertEvents.region(p.live(), p.region(), self, now));
      }
      if (Boolean.FALSE.equals(p.configMatch())) {
        if (quorate && drifted.add(p.region())) {
          router.raise(
              AlertEvents.peerProblem(
                  "config.drift", p.region(), "its shared config differs from ours", self, now));
        }
      } else {
        drifted.remove(p.region());
      }
      if (p.clockOffsetMs() != null && Math.abs(p.clockOffsetMs()) > maxSkew) {
        if (quorate && skewed.add(p.region())) {
          router.raise(
              AlertEvents.peerProblem(
                  "clock.skew",
                  p.region(),
                  "clock offset " + p.clockOffsetMs() + " ms beyond maxSkew " + maxSkew + " ms",
                  self,
                  now));
        }
      } else {
        skewed.remove(p.region());
      }
      identityClash(p, quorate, now);
    }
  }

  /**
   * {@code region.identity-clash} once when a peer's identity-clash refusals start to grow (two
   * agents speak as that region), again only after {@link #CLASH_QUIET} without a new one.
   */
  private void identityClash(PeerStatus p, boolean quorate, Instant now) {
    long count = p.rejected().getOrDefault("identity-clash", 0L);
    Long before = clashCounts.put(p.region(), count);
    if (before != null && count > before) {
      clashSeen.put(p.region(), now);
      if (quorate && clashing.add(p.region())) {
        router.raise(
            AlertEvents.peerProblem(
                "region.identity-clash",
                p.region(),
                "messages from two agents speak as this region (same region file and key);"
                    + " stop the second one",
                self,
                now));
      }
    } else if (clashing.contains(p.region())
        && now.isAfter(clashSeen.getOrDefault(p.region(), now).plus(CLASH_QUIET))) {
      clashing.remove(p.region());
    }
  }

  /**
   * Whether {@code p}'s change of liveness follows a graceful stop: it said it was leaving (no
   * "region down"), or it comes back after having said so (no "region up" either).
   */
  private boolean leftQuietly(PeerStatus p) {
    if (p.leftAt() != null) {
      left.add(p.region());
      return true;
    }
    return p.live() && left.remove(p.region());
  }
}
