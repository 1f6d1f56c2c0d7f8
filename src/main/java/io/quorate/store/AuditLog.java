package io.quorate.store;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every failover decision, write and operator action with its reasons — bounded in memory (the
 * newest {@code capacity} entries). Durable storage arrives with the history store (issue 7); until
 * then an agent restart starts a new log, and the log says so in its first entry.
 */
public final class AuditLog {
  private final int capacity;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private final AtomicLong ids = new AtomicLong();

  /**
   * One audited event.
   *
   * @param id increasing per agent
   * @param at when
   * @param pool the pool, or {@code null} for agent-wide entries
   * @param action e.g. {@code plan}, {@code update}, {@code propagated}, {@code pause}, {@code
   *     drain}
   * @param outcome e.g. {@code applied}, {@code noop}, {@code blocked}, {@code conflict}, {@code
   *     error}, {@code ok}
   * @param actor who: {@code agent:<region>} or {@code token:<name>}
   * @param reasons the decision's reasons, one line each
   * @param details small facts: prerequisite, desired RRset, server response, votes, timings
   */
  public record Entry(
      long id,
      Instant at,
      String pool,
      String action,
      String outcome,
      String actor,
      List<String> reasons,
      Map<String, String> details) {
    public Entry {
      reasons = List.copyOf(reasons);
      details = Map.copyOf(details);
    }
  }

  public AuditLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
  }

  public Entry add(
      Instant at,
      String pool,
      String action,
      String outcome,
      String actor,
      List<String> reasons,
      Map<String, String> details) {
    Entry e = new Entry(ids.incrementAndGet(), at, pool, action, outcome, actor, reasons, details);
    synchronized (entries) {
      entries.addFirst(e);
      while (entries.size() > capacity) {
        entries.removeLast();
      }
    }
    return e;
  }

  /** Newest first, at most {@code limit}, optionally only one pool's. */
  public List<Entry> recent(String pool, int limit) {
    List<Entry> out = new ArrayList<>();
    synchronized (entries) {
      for (Entry e : entries) {
        if (out.size() >= limit) {
          break;
        }
        if (pool == null || pool.equals(e.pool())) {
          out.add(e);
        }
      }
    }
    return out;
  }
}
