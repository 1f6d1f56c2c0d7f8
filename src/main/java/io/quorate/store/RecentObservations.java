package io.quorate.store;

import io.quorate.quorum.Observation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The most recent observations, bounded in memory: at most {@code perTarget} per target, at most
 * {@code maxKept} over all targets (fewer per target when there are many targets, but at least
 * one), and the {@code global} newest of all (newest kept). Per target they are kept compactly
 * ({@link ObservationRing}, about 55 bytes each with details, facts and TLS facts shared through
 * one bounded pool), so 10,000 targets × 20 take about 11 MB instead of 78; the {@code global}
 * newest are kept as they came. Written by the scheduler, read by the API; each ring is guarded by
 * its own monitor, held only for a copy.
 */
public final class RecentObservations {
  /** Distinct details, facts maps, TLS facts and regions shared by the kept observations. */
  static final int POOL = 4096;

  /** Heap per kept observation used to turn a memory budget into a count (measured: 54). */
  public static final int BYTES_PER_KEPT = 64;

  private final int perTarget;
  private final int global;
  private final long maxKept;
  private final Map<String, ObservationRing> byTarget = new ConcurrentHashMap<>();
  private final Deque<Observation> all = new ArrayDeque<>();
  private final Interner<Object> pool = new Interner<>(POOL);

  public RecentObservations(int perTarget, int global) {
    this(perTarget, global, Long.MAX_VALUE);
  }

  /** With at most {@code maxKept} kept over all targets (at least one per target). */
  public RecentObservations(int perTarget, int global, long maxKept) {
    if (perTarget < 1 || global < 1 || maxKept < 1) {
      throw new IllegalArgumentException("bounds must be >= 1");
    }
    this.perTarget = perTarget;
    this.global = global;
    this.maxKept = maxKept;
  }

  /** The count a budget of {@code megabytes} MiB keeps. */
  public static long keptFor(int megabytes) {
    return megabytes * (1L << 20) / BYTES_PER_KEPT;
  }

  /** How many each target keeps now: the budget shared by the targets seen so far. */
  int perTargetNow() {
    long share = maxKept / Math.max(1, byTarget.size());
    return (int) Math.max(1, Math.min(perTarget, share));
  }

  public void add(Observation o) {
    ObservationRing ring = byTarget.computeIfAbsent(o.targetId(), ObservationRing::new);
    int capacity = perTargetNow();
    synchronized (ring) {
      ring.add(o, pool, capacity);
    }
    synchronized (all) {
      all.addFirst(o);
      while (all.size() > global) {
        all.removeLast();
      }
    }
  }

  /** Forgets {@code targetId}'s observations, also in the global ring (a removed target). */
  public void remove(String targetId) {
    byTarget.remove(targetId);
    synchronized (all) {
      all.removeIf(o -> o.targetId().equals(targetId));
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
