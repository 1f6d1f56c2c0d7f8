package io.quorate.store;

import io.quorate.quorum.Observation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The most recent observations, bounded in memory: at most {@code perTarget} per target and {@code
 * global} overall (newest kept). Per target they are kept compactly ({@link ObservationRing}, about
 * 50 bytes each, details, facts and TLS facts shared through one bounded pool), so 10,000 targets ×
 * 20 take about 10 MB instead of 80; the {@code global} newest are kept as they came. Written by
 * the scheduler, read by the API; each ring is guarded by its own monitor, held only for a copy.
 */
public final class RecentObservations {
  /** Distinct details, facts maps, TLS facts and regions shared by the kept observations. */
  static final int POOL = 4096;

  private final int perTarget;
  private final int global;
  private final Map<String, ObservationRing> byTarget = new ConcurrentHashMap<>();
  private final Deque<Observation> all = new ArrayDeque<>();
  private final Interner<Object> pool = new Interner<>(POOL);

  public RecentObservations(int perTarget, int global) {
    if (perTarget < 1 || global < 1) {
      throw new IllegalArgumentException("bounds must be >= 1");
    }
    this.perTarget = perTarget;
    this.global = global;
  }

  public void add(Observation o) {
    ObservationRing ring =
        byTarget.computeIfAbsent(o.targetId(), k -> new ObservationRing(k, perTarget));
    synchronized (ring) {
      ring.add(o, pool);
    }
    synchronized (all) {
      all.addFirst(o);
      while (all.size() > global) {
        all.removeLast();
      }
    }
  }

  /** Newest first, at most {@code limit}; {@code targetId} null = every target. */
  public List<Observation> recent(String targetId, int limit) {
    if (targetId == null) {
      synchronized (all) {
        List<Observation> out = new ArrayList<>(Math.min(limit, all.size()));
        for (Observation o : all) {
          if (out.size() >= limit) {
            break;
          }
          out.add(o);
        }
        return out;
      }
    }
    ObservationRing ring = byTarget.get(targetId);
    if (ring == null) {
      return List.of();
    }
    synchronized (ring) {
      List<Observation> out = new ArrayList<>(Math.min(limit, ring.size()));
      ring.copyTo(out, limit);
      return out;
    }
  }
}
