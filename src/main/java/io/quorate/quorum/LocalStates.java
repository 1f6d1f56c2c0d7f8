package io.quorate.quorum;

import io.quorate.config.Target;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This region's local view: per target, the {@link Hysteresis} state driven by its own
 * observations. Written by one owner (the scheduler's context); read by anyone as immutable {@link
 * TargetStatus} snapshots. Time comes from the injected clock.
 */
public final class LocalStates {
  private final Clock clock;
  private final Map<String, TargetStatus> states = new ConcurrentHashMap<>();

  /** A status change, for listeners (logs, metrics, and later the quorum and alerts). */
  public record Change(Target target, Status from, Status to, TargetStatus now) {}

  public LocalStates(Clock clock, Collection<Target> targets) {
    this.clock = clock;
    for (Target t : targets) {
      states.put(t.id(), new TargetStatus(t, HysteresisState.INITIAL, null));
    }
  }

  /**
   * Records an observation of a configured target; returns the new snapshot. Calls {@code onChange}
   * when the status changed. Unknown targets are ignored (empty).
   */
  public Optional<TargetStatus> record(Observation obs, Consumer<Change> onChange) {
    TargetStatus before = states.get(obs.targetId());
    if (before == null) {
      return Optional.empty();
    }
    Target t = before.target();
    HysteresisState next =
        new Hysteresis(t.fall(), t.rise())
            .next(before.state(), obs.result().outcome(), clock.instant());
    TargetStatus after = new TargetStatus(t, next, obs);
    states.put(t.id(), after);
    if (next.status() != before.state().status()) {
      onChange.accept(new Change(t, before.state().status(), next.status(), after));
    }
    return Optional.of(after);
  }

  /**
   * A live reload (ADR 0017): targets not in {@code next} are dropped, those in {@code restart}
   * (added or changed) start afresh from {@link HysteresisState#INITIAL}, the others keep their
   * state. Call from the writer's context (the scheduler's), so no observation interleaves.
   */
  public void apply(Collection<Target> next, java.util.Set<String> restart) {
    java.util.Set<String> keep = new java.util.HashSet<>();
    for (Target t : next) {
      keep.add(t.id());
      if (restart.contains(t.id()) || !states.containsKey(t.id())) {
        states.put(t.id(), new TargetStatus(t, HysteresisState.INITIAL, null));
      }
    }
    states.keySet().retainAll(keep);
  }

  public Optional<TargetStatus> get(String targetId) {
    return Optional.ofNullable(states.get(targetId));
  }

  /** Snapshots of every target, sorted by id. */
  public List<TargetStatus> all() {
    return states.values().stream()
        .sorted((a, b) -> a.target().id().compareTo(b.target().id()))
        .toList();
  }
}
