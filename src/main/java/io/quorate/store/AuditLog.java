package io.quorate.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every failover decision, write and operator action with its reasons: the newest {@code capacity}
 * entries in memory for fast reads and, once {@link #attach}ed to an {@link AuditStore}, every
 * entry written through to the store in the background (ADR 0015), so the log survives a restart
 * and ids continue after the stored ones. Without a store it is memory only.
 */
public final class AuditLog {
  private final int capacity;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile AuditStore store;

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
    Entry e;
    synchronized (entries) {
      e = new Entry(ids.incrementAndGet(), at, pool, action, outcome, actor, reasons, details);
      entries.addFirst(e);
      while (entries.size() > capacity) {
        entries.removeLast();
      }
    }
    AuditStore s = store;
    if (s != null) {
      s.write(e);
    }
    return e;
  }

  /**
   * Makes the log durable: loads the newest stored entries into memory, continues ids after the
   * largest stored one, and writes every later {@link #add} through to {@code s}. Call before the
   * first {@code add}.
   */
  public Future<Void> attach(AuditStore s) {
    return s.maxId()
        .compose(
            max ->
                s.between(null, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE), capacity)
                    .map(
                        stored -> {
                          synchronized (entries) {
                            ids.set(Math.max(ids.get(), max));
                            entries.addAll(stored);
                            while (entries.size() > capacity) {
                              entries.removeLast();
                            }
                          }
                          store = s;
                          return null;
                        }));
  }

  /**
   * Entries with {@code from <= at < to}, of {@code pool} when not null, newest first, at most
   * {@code limit}: from the store when attached, else from memory.
   */
  public Future<List<Entry>> between(String pool, Instant from, Instant to, int limit) {
    AuditStore s = store;
    if (s != null) {
      return s.between(pool, from, to, limit);
    }
    List<Entry> out = new ArrayList<>();
    synchronized (entries) {
      for (Entry e : entries) {
        boolean in = !e.at().isBefore(from) && e.at().isBefore(to);
        if (out.size() < limit && in && (pool == null || pool.equals(e.pool()))) {
          out.add(e);
        }
      }
    }
    return Future.succeededFuture(out);
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
