package io.quorate.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which targets are inside a maintenance occurrence right now, as this agent last noticed (ADR
 * 0014). A periodic {@link #tick} and every verdict change ({@link #sync}) compare the calendar
 * with what was noticed before and tell the {@link Sink} when a target enters or leaves
 * maintenance, so the history gets exactly one row at each edge. Plain Java (no Vert.x),
 * thread-safe.
 */
public final class Overlay {
  /** Told of every edge, in order, while the overlay's lock is held (do no blocking work). */
  public interface Sink {
    /** {@code target} entered maintenance {@code o}; the edge is dated {@code at}. */
    void started(String target, Occurrence o, Instant at);

    /** {@code target} left maintenance {@code o} (ended or deleted) at {@code at}. */
    void ended(String target, Occurrence o, Instant at);
  }

  private final MaintenanceCalendar calendar;
  private Set<String> targets;
  private final Sink sink;
  private final Map<String, Occurrence> covered = new HashMap<>();
  private final Map<String, Instant> enteredAt = new HashMap<>();
  private Instant lastTick;

  /**
   * @param calendar every window
   * @param targets the configured target ids (windows naming others are ignored for them)
   * @param sink told of each edge
   */
  public Overlay(MaintenanceCalendar calendar, Set<String> targets, Sink sink) {
    this.calendar = calendar;
    this.targets = Set.copyOf(targets);
    this.sink = sink;
  }

  /**
   * The configured targets after a live reload (ADR 0017); a removed target's coverage is forgotten
   * without an edge (it has no verdict left to overlay).
   */
  public synchronized void targets(Set<String> next) {
    targets = Set.copyOf(next);
    covered.keySet().retainAll(targets);
    enteredAt.keySet().retainAll(targets);
  }

  /** Notices every edge up to {@code now}, for every configured target. */
  public synchronized void tick(Instant now) {
    Map<String, Occurrence> active = new HashMap<>();
    for (Occurrence o : calendar.active(now)) {
      for (String t : o.targets()) {
        Occurrence other = active.get(t);
        if (targets.contains(t) && (other == null || o.end().isAfter(other.end()))) {
          active.put(t, o);
        }
      }
    }
    List<String> ended = new ArrayList<>();
    for (String t : covered.keySet()) {
      if (!active.containsKey(t)) {
        ended.add(t);
      }
    }
    ended.stream().sorted().forEach(t -> apply(t, null, now));
    active.keySet().stream().sorted().forEach(t -> apply(t, active.get(t), now));
    lastTick = now;
  }

  /** Notices an edge of {@code target} alone (before its verdict change is handled). */
  public synchronized Optional<Occurrence> sync(String target, Instant now) {
    if (targets.contains(target)) {
      apply(target, calendar.covering(target, now).orElse(null), now);
    }
    return Optional.ofNullable(covered.get(target));
  }

  /** The occurrence {@code target} is in, as last noticed. */
  public synchronized Optional<Occurrence> covering(String target) {
    return Optional.ofNullable(covered.get(target));
  }

  /** Every target in maintenance, as last noticed. */
  public synchronized Collection<String> coveredTargets() {
    return List.copyOf(covered.keySet());
  }

  private void apply(String target, Occurrence now, Instant at) {
    Occurrence before = covered.get(target);
    if (before == null && now == null) {
      return;
    }
    if (before != null && now != null) {
      covered.put(target, now); // back-to-back or overlapping windows: still in maintenance
      return;
    }
    if (now != null) {
      // dated at the occurrence's start, unless noticed late (restart, a window created with a
      // start in the past): then when noticed, so the past is never rewritten
      Instant start = lastTick != null && now.start().isAfter(lastTick) ? now.start() : at;
      Instant when = start.isAfter(at) ? at : start;
      covered.put(target, now);
      enteredAt.put(target, when);
      sink.started(target, now, when);
      return;
    }
    covered.remove(target);
    Instant entered = enteredAt.remove(target);
    Instant end = before.end().isBefore(at) ? before.end() : at;
    Instant when = entered != null && end.isBefore(entered) ? entered : end;
    sink.ended(target, before, when);
  }
}
