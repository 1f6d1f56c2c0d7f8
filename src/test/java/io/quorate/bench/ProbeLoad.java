package io.quorate.bench;

import io.quorate.config.Target;
import io.quorate.probe.Outcome;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe at saturation: {@code c} lanes, each starting its next probe when its previous one ends,
 * until {@code n} probes have started. Shared by the single-probe bench mains and the side-by-side
 * child ({@link ProbeChild}). Blocks the calling thread (never an event loop) for at most {@link
 * #LIMIT_MINUTES}.
 */
final class ProbeLoad {
  static final int LIMIT_MINUTES = 10;

  /** Distinct outcome keys kept; the rest are counted under "other". */
  static final int MAX_OUTCOME_KEYS = 16;

  private ProbeLoad() {}

  /** One finished load: wall time, every probe's total latency, outcome counts. */
  record Result(long wallNanos, double[] totalsMs, int up, Map<String, Integer> outcomes) {
    int n() {
      return totalsMs.length;
    }

    double perSecond() {
      return n() / (wallNanos / 1e9);
    }

    /** The {@code q} quantile (0..1) of the probes' total latencies, nearest rank. */
    double quantileMs(double q) {
      double[] s = totalsMs.clone();
      Arrays.sort(s);
      return s.length == 0 ? 0 : s[Math.min(s.length - 1, (int) (s.length * q))];
    }

    double meanMs() {
      return Arrays.stream(totalsMs).average().orElse(0);
    }
  }

  /** Runs {@code n} probes of {@code t} with {@code c} in flight and waits for all of them. */
  static Result run(Probe probe, Target t, int n, int c) {
    AtomicInteger next = new AtomicInteger();
    double[] totals = new double[n];
    Map<String, Integer> outcomes = new TreeMap<>();
    long t0 = System.nanoTime();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < c; i++) {
      lanes.add(lane(probe, t, n, next, totals, outcomes));
    }
    try {
      Future.all(lanes)
          .toCompletionStage()
          .toCompletableFuture()
          .get(LIMIT_MINUTES, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("probe load did not finish: " + e, e);
    }
    long wall = System.nanoTime() - t0;
    synchronized (outcomes) {
      return new Result(wall, totals, outcomes.getOrDefault("UP", 0), Map.copyOf(outcomes));
    }
  }

  private static Future<Void> lane(
      Probe probe,
      Target t,
      int n,
      AtomicInteger next,
      double[] totals,
      Map<String, Integer> outcomes) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return Future.succeededFuture();
    }
    return probe
        .run(t)
        .compose(
            r -> {
              totals[i] = r.timings().totalMs();
              count(outcomes, key(r));
              return lane(probe, t, n, next, totals, outcomes);
            });
  }

  private static void count(Map<String, Integer> outcomes, String key) {
    synchronized (outcomes) {
      String k = outcomes.containsKey(key) || outcomes.size() < MAX_OUTCOME_KEYS ? key : "other";
      outcomes.merge(k, 1, Integer::sum);
    }
  }

  /** "UP", or outcome, error kind and detail for anything else. */
  static String key(ProbeResult r) {
    return r.outcome() == Outcome.UP ? "UP" : r.outcome() + "/" + r.errorKind() + " " + r.detail();
  }
}
