package io.quorate.store;

import io.quorate.probe.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This agent's observations summed per (target, UTC minute) in memory until the minute closes (ADR
 * 0015). An observation belongs to the minute in which the agent received it; a minute closes when
 * the clock passes its end and is handed out by {@link #closed} exactly once: an observation
 * arriving for a minute already handed out (the clock stepped back) is counted in the oldest open
 * one instead. Bounded: at most {@code maxTargets} targets per minute (more are counted as
 * dropped). Thread-safe.
 */
public final class MinuteAccumulator {
  static final long MINUTE_MS = 60_000;

  /**
   * One target's minute.
   *
   * @param target target id
   * @param minute the minute's start
   * @param up UP observations
   * @param down DOWN observations
   * @param degraded DEGRADED observations
   * @param latency the durations of UP and DEGRADED observations (DOWN ones are mostly timeouts)
   */
  public record Cell(
      String target, Instant minute, int up, int down, int degraded, LatencyHistogram latency) {}

  /** Every target's row of one closed minute. */
  public record Minute(Instant start, List<Cell> cells) {}

  private static final class Counts {
    int up;
    int down;
    int degraded;
    final LatencyHistogram latency = new LatencyHistogram();
  }

  private final int maxTargets;
  private final TreeMap<Long, Map<String, Counts>> open = new TreeMap<>();
  private long closedBefore = Long.MIN_VALUE;
  private long dropped;

  public MinuteAccumulator(int maxTargets) {
    if (maxTargets < 1) {
      throw new IllegalArgumentException("maxTargets must be >= 1");
    }
    this.maxTargets = maxTargets;
  }

  /** Counts one observation received at {@code at}. */
  public synchronized void add(String target, Outcome outcome, double durationMs, Instant at) {
    long minute = Math.max(Math.floorDiv(at.toEpochMilli(), MINUTE_MS) * MINUTE_MS, closedBefore);
    Map<String, Counts> cells = open.computeIfAbsent(minute, m -> new HashMap<>());
    Counts c = cells.get(target);
    if (c == null) {
      if (cells.size() >= maxTargets) {
        dropped++;
        return;
      }
      c = new Counts();
      cells.put(target, c);
    }
    switch (outcome) {
      case UP -> c.up++;
      case DOWN -> c.down++;
      case DEGRADED -> c.degraded++;
    }
    if (outcome != Outcome.DOWN) {
      c.latency.record(Math.round(durationMs * 1000));
    }
  }

  /** Removes and returns every minute that ended at or before {@code now}, oldest first. */
  public synchronized List<Minute> closed(Instant now) {
    long current = Math.floorDiv(now.toEpochMilli(), MINUTE_MS) * MINUTE_MS;
    List<Minute> out = new ArrayList<>();
    while (!open.isEmpty() && open.firstKey() < current) {
      Map.Entry<Long, Map<String, Counts>> e = open.pollFirstEntry();
      Instant start = Instant.ofEpochMilli(e.getKey());
      List<Cell> cells = new ArrayList<>(e.getValue().size());
      e.getValue()
          .forEach((t, c) -> cells.add(new Cell(t, start, c.up, c.down, c.degraded, c.latency)));
      out.add(new Minute(start, cells));
    }
    closedBefore = Math.max(closedBefore, current);
    return out;
  }

  /** Observations not counted because a minute already had {@code maxTargets} targets. */
  public synchronized long dropped() {
    return dropped;
  }
}
