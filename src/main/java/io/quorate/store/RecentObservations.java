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
 * global} overall (newest kept). Written by the scheduler, read by the API; each ring is guarded by
 * its own monitor, held only for a copy.
 */
public final class RecentObservations {
  private final int perTarget;
  private final int global;
  private final Map<String, Deque<Observation>> byTarget = new ConcurrentHashMap<>();
  private final Deque<Observation> all = new ArrayDeque<>();

  public RecentObservations(int perTarget, int global) {
    if (perTarget < 1 || global < 1) {
      throw new IllegalArgumentException("bounds must be >= 1");
    }
    this.perTarget = perTarget;
    this.global = global;
  }

  public void add(Observation o) {
    Deque<Observation> ring = byTarget.computeIfAbsent(o.targetId(), k -> new ArrayDeque<>());
    synchronized (ring) {
      push(ring, o, perTarget);
    }
    synchronized (all) {
      push(all, o, global);
    }
  }

  private static void push(Deque<Observation> ring, Observation o, int bound) {
    ring.addFirst(o);
    while (ring.size() > bound) {
      ring.removeLast();
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
    Deque<Observation> ring = targetId == null ? all : byTarget.get(targetId);
    if (ring == null) {
      return List.of();
    }
    synchronized (ring) {
      List<Observation> out = new ArrayList<>(Math.min(limit, ring.size()));
      for (Observation o : ring) {
        if (out.size() >= limit) {
          break;
        }
        out.add(o);
      }
      return out;
    }
  }
}
