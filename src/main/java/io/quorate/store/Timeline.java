package io.quorate.store;

import io.quorate.quorum.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A target's (or a group's) verdict over time, as {@link Sla} reads it: the state in force at the
 * start of a window and every change after it, in time order.
 *
 * @param initial the state in force before the first change ({@code UNKNOWN} when nothing is
 *     recorded)
 * @param initialSince when {@code initial} began, or {@code null} if unknown
 * @param changes changes in time order
 */
public record Timeline(Status initial, Instant initialSince, List<Change> changes) {
  /** At {@code at} the verdict became {@code state}. */
  public record Change(Instant at, Status state) {
    public Change {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(state, "state");
    }
  }

  /** Nothing recorded. */
  public static final Timeline EMPTY = new Timeline(Status.UNKNOWN, null, List.of());

  public Timeline {
    Objects.requireNonNull(initial, "initial");
    List<Change> sorted = new ArrayList<>(changes);
    sorted.sort(Comparator.comparing(Change::at));
    changes = List.copyOf(sorted);
  }

  /** The state in force at {@code t} (a change at exactly {@code t} is in force). */
  public Status stateAt(Instant t) {
    Status s = initial;
    for (Change c : changes) {
      if (c.at().isAfter(t)) {
        break;
      }
      s = c.state();
    }
    return s;
  }

  /**
   * The group's timeline (ADR 0013): UP while any member is UP; else DEGRADED while any member is
   * DEGRADED; DOWN only while every member is DOWN (a failover group serves while one member does);
   * MAINTENANCE while every member is DOWN or in MAINTENANCE and at least one is in MAINTENANCE (a
   * member in maintenance is never "down", so planned work does not make the group down); otherwise
   * (some DOWN or MAINTENANCE, the rest UNKNOWN) UNKNOWN.
   */
  public static Timeline group(List<Timeline> members) {
    if (members.isEmpty()) {
      return EMPTY;
    }
    // one sweep over every member's changes in time order: O(changes × members)
    record Step(Instant at, int member, Status state) {}
    List<Step> steps = new ArrayList<>();
    Status[] current = new Status[members.size()];
    for (int i = 0; i < members.size(); i++) {
      current[i] = members.get(i).initial();
      for (Change c : members.get(i).changes()) {
        steps.add(new Step(c.at(), i, c.state()));
      }
    }
    steps.sort(Comparator.comparing(Step::at));
    Status initial = combine(List.of(current));
    List<Change> out = new ArrayList<>();
    Status last = initial;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      current[step.member()] = step.state();
      boolean lastAtThisTime = i + 1 == steps.size() || !steps.get(i + 1).at().equals(step.at());
      Status s = combine(List.of(current));
      if (lastAtThisTime && s != last) {
        out.add(new Change(step.at(), s));
        last = s;
      }
    }
    return new Timeline(initial, null, out);
  }

  static Status combine(List<Status> states) {
    if (states.contains(Status.UP)) {
      return Status.UP;
    }
    if (states.contains(Status.DEGRADED)) {
      return Status.DEGRADED;
    }
    if (states.isEmpty() || states.contains(Status.UNKNOWN)) {
      return Status.UNKNOWN;
    }
    // only DOWN and MAINTENANCE are left
    return states.contains(Status.MAINTENANCE) ? Status.MAINTENANCE : Status.DOWN;
  }
}
