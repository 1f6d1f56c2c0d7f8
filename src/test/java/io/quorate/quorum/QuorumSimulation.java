package io.quorate.quorum;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.probe.Outcome;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded world: 3 or 5 regions probe targets whose true state flips now and then; some regions
 * see wrong (vantage faults: one target inverted, or a sick region seeing everything DOWN); their
 * votes reach one engine through a network with delay, loss, duplication, reordering and replays;
 * regions crash and restart. {@link SimChecker} checks the engine after every step.
 */
final class QuorumSimulation {
  static final long GRACE_MS = 500;

  /** What one region sees wrong, if anything: {@code target == null} means everything DOWN. */
  record Fault(String target) {}

  /** Per (region, target): hysteresis, next probe time, consecutive untainted observations. */
  static final class Probe {
    HysteresisState state = HysteresisState.INITIAL;
    long nextAt;
    int cleanRun = Integer.MAX_VALUE / 2;
  }

  /** One region's agent. */
  static final class Region {
    final String id;
    boolean alive = true;
    long seq;
    long crashedAt;
    long dirtyUntil;
    Fault fault;
    final Map<String, Probe> probes = new HashMap<>();

    Region(String id) {
      this.id = id;
    }
  }

  final SplittableRandom rnd;
  final MutableClock clock = MutableClock.start();
  final QuorateConfig config;
  final QuorumEngine engine;
  final SimOracle oracle;
  final SimChecker checker;
  final List<Region> regions = new ArrayList<>();
  final Map<String, Status> truth = new HashMap<>();

  /** Targets not re-evaluated since a reference vote came in through accept(). */
  final Set<String> lagging = new HashSet<>();

  final SimNetwork net;
  final long maxFreshMs;
  final EnumSet<Status> seen = EnumSet.noneOf(Status.class);
  int changes;
  int abstentions;
  int contested;

  QuorumSimulation(long seed) {
    rnd = new SplittableRandom(seed);
    int n = rnd.nextBoolean() ? 3 : 5;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("r" + i);
    }
    List<Target> targets =
        List.of(
            target("ref1", 1_000, null),
            target("ref2", 1_000, null),
            target("web", 1_000, null),
            target("mail", 2_000, null),
            target("core", 1_000, "core"));
    config =
        new QuorateConfig(
            ids,
            new QuorateConfig.Quorum(
                QuorateConfig.majority(n), GRACE_MS, 60_000, 200, 1_000, List.of("ref1", "ref2")),
            QuorateConfig.Defaults.DEFAULT,
            List.of(new QuorateConfig.Group("core", "Core", "", n)),
            targets,
            List.of(),
            List.of());
    maxFreshMs = targets.stream().mapToLong(t -> 3 * t.intervalMs() + GRACE_MS).max().orElseThrow();
    net = new SimNetwork(rnd, clock);
    engine = new QuorumEngine(config, clock);
    oracle = new SimOracle(config);
    checker = new SimChecker(this);
    for (String id : ids) {
      Region r = new Region(id);
      restart(r);
      regions.add(r);
    }
    for (Target t : targets) {
      truth.put(t.id(), Status.UP);
    }
  }

  private Target target(String id, long interval, String group) {
    int fall = rnd.nextInt(1, 4);
    Target t = Targets.inGroup(Targets.fake(id, interval, interval / 2), group, fall);
    int rise = rnd.nextInt(1, 4);
    return new Target(
        t.id(),
        t.type(),
        t.group(),
        t.address(),
        t.port(),
        t.intervalMs(),
        t.timeoutMs(),
        t.degradedAboveMs(),
        t.fall(),
        rise,
        t.check());
  }

  long now() {
    return clock.instant().toEpochMilli();
  }

  /** Runs {@code steps} random steps, checking every invariant after each. */
  void run(int steps) {
    for (int i = 0; i < steps; i++) {
      Map<String, Verdict> before = snapshot();
      List<VerdictChange> out = step();
      checker.check(i, before, out);
    }
  }

  private Map<String, Verdict> snapshot() {
    Map<String, Verdict> m = new HashMap<>();
    engine.verdicts().forEach(v -> m.put(v.targetId(), v));
    return m;
  }

  /** Mostly delivers due messages (so the network drains); otherwise moves the world on. */
  private List<VerdictChange> step() {
    if (net.hasDue() && rnd.nextDouble() < 0.75) {
      return accept(net.takeDue());
    }
    double p = rnd.nextDouble();
    if (p < 0.55) {
      return advance(rnd.nextLong(1, 600));
    } else if (p < 0.65) {
      flipTruth();
    } else if (p < 0.77) {
      toggleFault(regions.get(rnd.nextInt(regions.size())));
    } else if (p < 0.83) {
      crash(regions.get(rnd.nextInt(1, regions.size())));
    } else if (p < 0.90) {
      Region r = regions.get(rnd.nextInt(1, regions.size()));
      if (!r.alive && now() > r.crashedAt) {
        restart(r);
      }
    } else {
      SimNetwork.Msg m = net.replay();
      return m == null ? List.of() : accept(m);
    }
    return List.of();
  }

  /** Clock advance: due probes run, then the engine sweeps. */
  private List<VerdictChange> advance(long ms) {
    clock.advanceMs(ms);
    for (Region r : regions) {
      if (r.alive) {
        for (Target t : config.targets()) {
          Probe pr = r.probes.get(t.id());
          if (pr.nextAt <= now()) {
            observe(r, t, pr);
          }
        }
      }
    }
    lagging.clear();
    return engine.sweep();
  }

  private void observe(Region r, Target t, Probe pr) {
    pr.nextAt = now() + t.intervalMs() + rnd.nextLong(-t.intervalMs() / 10, t.intervalMs() / 10);
    boolean faulty =
        r.fault != null && (r.fault.target() == null || r.fault.target().equals(t.id()));
    Outcome o = outcome(truth.get(t.id()), r.fault, faulty);
    pr.state = new Hysteresis(t.fall(), t.rise()).next(pr.state, o, clock.instant());
    pr.cleanRun = faulty ? 0 : pr.cleanRun + 1;
    boolean tainted = pr.cleanRun < Math.max(t.fall(), t.rise());
    if (tainted) {
      r.dirtyUntil = now() + net.maxDelayMs + maxFreshMs + 1;
    }
    Vote v =
        new Vote(
            r.id,
            t.id(),
            pr.state.status(),
            pr.state.since(),
            ++r.seq,
            clock.instant(),
            o,
            null,
            "");
    net.send(r == regions.get(0), v, tainted);
  }

  private static Outcome outcome(Status truth, Fault fault, boolean faulty) {
    Outcome real =
        truth == Status.DOWN
            ? Outcome.DOWN
            : truth == Status.DEGRADED ? Outcome.DEGRADED : Outcome.UP;
    if (!faulty) {
      return real;
    }
    if (fault.target() == null) {
      return Outcome.DOWN;
    }
    return real == Outcome.DOWN ? Outcome.UP : Outcome.DOWN;
  }

  /**
   * The receiver stamps the vote with its own clock, as the mesh does. One in five deliveries uses
   * {@link QuorumEngine#accept}, which leaves other targets lagging after a reference vote.
   */
  private List<VerdictChange> accept(SimNetwork.Msg m) {
    Vote v = m.vote().receivedAt(clock.instant());
    oracle.store(v, m.tainted());
    boolean reference = config.quorum().referenceTargets().contains(v.targetId());
    boolean taken = newer(v);
    if (rnd.nextInt(5) == 0) {
      if (taken) {
        if (reference) {
          config.targets().forEach(t -> lagging.add(t.id()));
        }
        lagging.remove(v.targetId());
      }
      return engine.accept(v).stream().toList();
    }
    if (taken) {
      if (reference) {
        lagging.clear();
      }
      lagging.remove(v.targetId());
    }
    return engine.acceptAll(v);
  }

  /** Whether the engine will take {@code v} (newer than what it holds from that region). */
  private boolean newer(Vote v) {
    Verdict.VoteView held =
        engine.verdict(v.targetId()).votes().stream()
            .filter(x -> x.region().equals(v.region()))
            .findFirst()
            .orElseThrow();
    return held.vote() == null || held.vote().obsSeq() < v.obsSeq();
  }

  private void flipTruth() {
    List<String> ids = List.of("web", "mail", "core");
    String id = ids.get(rnd.nextInt(ids.size()));
    double p = rnd.nextDouble();
    truth.put(id, p < 0.45 ? Status.UP : p < 0.85 ? Status.DOWN : Status.DEGRADED);
  }

  /**
   * Clears a region's fault, or gives it one while fewer than {@code regions − quorum} other
   * regions are faulty or may still have tainted votes counting somewhere.
   */
  private void toggleFault(Region r) {
    if (r.fault != null) {
      r.fault = null;
      return;
    }
    int dirty = 0;
    for (Region o : regions) {
      dirty += o != r && dirty(o) ? 1 : 0;
    }
    if (dirty + 1 <= regions.size() - config.quorum().size()) {
      List<String> ids = List.of("web", "mail", "core");
      r.fault = new Fault(rnd.nextInt(3) == 0 ? null : ids.get(rnd.nextInt(ids.size())));
    }
  }

  boolean dirty(Region r) {
    if (r.fault != null || now() <= r.dirtyUntil) {
      return true;
    }
    for (Target t : config.targets()) {
      if (r.probes.get(t.id()).cleanRun < Math.max(t.fall(), t.rise())) {
        return true;
      }
    }
    return false;
  }

  private void crash(Region r) {
    if (r.alive) {
      r.alive = false;
      r.crashedAt = now();
    }
  }

  /** A (re)started agent: empty hysteresis, sequence numbers from epochMillis × 1000. */
  private void restart(Region r) {
    r.alive = true;
    r.seq = now() * 1000;
    for (Target t : config.targets()) {
      Probe pr = new Probe();
      pr.nextAt = now() + rnd.nextLong(0, t.intervalMs());
      // The new, empty hysteresis carries no fault; votes sent before are covered by dirtyUntil.
      r.probes.put(t.id(), pr);
    }
  }
}
