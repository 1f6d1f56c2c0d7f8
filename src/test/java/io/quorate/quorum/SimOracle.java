package io.quorate.quorum;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulation's own record of what the engine was told, kept independently of the engine: the
 * newest vote per (region, target), when it arrived, and whether a vantage fault tainted it.
 */
final class SimOracle {
  /** A vote as delivered, and whether a faulty vantage point produced it. */
  record Held(Vote vote, boolean tainted) {}

  /** Counting votes on one target, all and untainted only. */
  record Tally(int up, int down, int degraded, int healthyUp, int healthyDown, int healthyDeg) {
    int counting() {
      return up + down + degraded;
    }

    /** Votes that support {@code s} under the rule (UP-or-DEGRADED supports UP). */
    int support(Status s) {
      return switch (s) {
        case DOWN -> down;
        case DEGRADED -> degraded;
        case UP -> up + degraded;
        case UNKNOWN, MAINTENANCE -> 0;
      };
    }

    int healthySupport(Status s) {
      return switch (s) {
        case DOWN -> healthyDown;
        case DEGRADED -> healthyDeg;
        case UP -> healthyUp + healthyDeg;
        case UNKNOWN, MAINTENANCE -> 0;
      };
    }
  }

  private final QuorateConfig config;
  private final Map<String, Held> held = new HashMap<>();

  SimOracle(QuorateConfig config) {
    this.config = config;
  }

  void store(Vote v, boolean tainted) {
    String key = v.region() + "/" + v.targetId();
    Held old = held.get(key);
    if (old == null || v.obsSeq() > old.vote().obsSeq()) {
      held.put(key, new Held(v, tainted));
    }
  }

  Tally tally(Target t, Instant now) {
    boolean reference = config.quorum().referenceTargets().contains(t.id());
    int[] n = new int[6];
    for (String region : config.regions()) {
      Held h = held.get(region + "/" + t.id());
      if (h == null || !fresh(h.vote(), t, now) || (!reference && abstains(region, now))) {
        continue;
      }
      int i =
          switch (h.vote().status()) {
            case UP -> 0;
            case DOWN -> 1;
            case DEGRADED -> 2;
            case UNKNOWN, MAINTENANCE -> -1;
          };
      if (i >= 0) {
        n[i]++;
        n[i + 3] += h.tainted() ? 0 : 1;
      }
    }
    return new Tally(n[0], n[1], n[2], n[3], n[4], n[5]);
  }

  boolean abstains(String region, Instant now) {
    List<String> refs = config.quorum().referenceTargets();
    if (refs.isEmpty()) {
      return false;
    }
    for (String ref : refs) {
      Held h = held.get(region + "/" + ref);
      Target t = config.target(ref).orElseThrow();
      if (h == null || h.vote().status() != Status.DOWN || !fresh(h.vote(), t, now)) {
        return false;
      }
    }
    return true;
  }

  private boolean fresh(Vote v, Target t, Instant now) {
    long age = now.toEpochMilli() - v.receivedAt().toEpochMilli();
    return age <= 3 * t.intervalMs() + config.quorum().graceMs();
  }
}
