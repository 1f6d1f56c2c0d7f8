package io.quorate.maintenance;

import io.quorate.config.MaintenanceWindow;
import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every maintenance window the agent knows (the shared config's and those created through the API),
 * answering which occurrences cover a target at an instant. Thread-safe: readers see an immutable
 * snapshot; {@link #replaceDynamic} swaps it.
 *
 * <p>{@link #covering}, {@link #freezes} and {@link #active} are asked per verdict change and per
 * tick for every target, so they answer from an index of the occurrences near the instant, built
 * once per {@link #INDEX_SPAN} (or after a change of windows) instead of expanding every rule for
 * every question.
 */
public final class MaintenanceCalendar {
  /** Occurrences are looked for this far back from an instant (longer windows are refused). */
  public static final Duration MAX_OCCURRENCE = Duration.ofDays(7);

  /** How long one index answers for (occurrences starting later are not in it). */
  static final Duration INDEX_SPAN = Duration.ofMinutes(1);

  private record Entry(MaintenanceWindow window, Set<String> targets, boolean fromConfig) {}

  /** Occurrences overlapping {@code [from - MAX_OCCURRENCE, to)}, valid for {@code [from, to)}. */
  private record Index(
      List<Entry> source,
      Instant from,
      Instant to,
      List<Occurrence> all,
      Map<String, List<Occurrence>> byTarget) {
    boolean answers(List<Entry> current, Instant at) {
      return source == current && !at.isBefore(from) && at.isBefore(to);
    }
  }

  private volatile QuorateConfig config;
  private volatile List<Entry> configured;
  private volatile List<Entry> all;
  private volatile Index index;

  public MaintenanceCalendar(QuorateConfig config) {
    this.config = config;
    List<Entry> c = new ArrayList<>();
    for (MaintenanceWindow w : config.maintenance()) {
      c.add(new Entry(w, expand(w), true));
    }
    this.configured = List.copyOf(c);
    this.all = configured;
  }

  /**
   * A live reload (ADR 0017): the configured windows are {@code next}'s, expanded against its
   * targets and groups (an added group member is covered too); the windows created through the API
   * are kept, their groups expanded again. The edges this causes (a window added or removed while
   * it covers now) are noticed by the next {@link Overlay#tick}.
   */
  public synchronized void reconfigure(QuorateConfig next) {
    this.config = next;
    List<Entry> c = new ArrayList<>();
    for (MaintenanceWindow w : next.maintenance()) {
      c.add(new Entry(w, expand(w), true));
    }
    configured = List.copyOf(c);
    for (Entry e : all) {
      if (!e.fromConfig()) {
        c.add(new Entry(e.window(), expand(e.window()), false));
      }
    }
    all = List.copyOf(c);
  }

  /** Replaces the windows created through the API (ids never collide with configured ones). */
  public synchronized void replaceDynamic(Collection<MaintenanceWindow> windows) {
    List<Entry> next = new ArrayList<>(configured);
    for (MaintenanceWindow w : windows) {
      next.add(new Entry(w, expand(w), false));
    }
    all = List.copyOf(next);
  }

  /** Every window, configured first. */
  public List<MaintenanceWindow> windows() {
    return all.stream().map(Entry::window).toList();
  }

  /** The targets {@code windowId} covers (groups expanded), empty when unknown. */
  public Set<String> targets(String windowId) {
    for (Entry e : all) {
      if (e.window().id().equals(windowId)) {
        return e.targets();
      }
    }
    return Set.of();
  }

  /** True when {@code windowId} is defined in the shared config. */
  public boolean configured(String windowId) {
    return configured.stream().anyMatch(e -> e.window().id().equals(windowId));
  }

  /** The occurrence covering {@code target} at {@code at} that ends last, if any. */
  public Optional<Occurrence> covering(String target, Instant at) {
    Occurrence best = null;
    for (Occurrence o : index(at).byTarget().getOrDefault(target, List.of())) {
      if (o.covers(at) && (best == null || o.end().isAfter(best.end()))) {
        best = o;
      }
    }
    return Optional.ofNullable(best);
  }

  /** True when a covering occurrence at {@code at} freezes failover for {@code target}. */
  public boolean freezes(String target, Instant at) {
    for (Occurrence o : index(at).byTarget().getOrDefault(target, List.of())) {
      if (o.covers(at) && o.window().failover() == MaintenanceWindow.FailoverMode.FREEZE) {
        return true;
      }
    }
    return false;
  }

  /** Every occurrence covering {@code at}. */
  public List<Occurrence> active(Instant at) {
    List<Occurrence> out = new ArrayList<>();
    for (Occurrence o : index(at).all()) {
      if (o.covers(at)) {
        out.add(o);
      }
    }
    return out;
  }

  /** The index answering for {@code at}: the cached one, or a new one from {@code at}. */
  private Index index(Instant at) {
    List<Entry> current = all;
    Index i = index;
    if (i != null && i.answers(current, at)) {
      return i;
    }
    Instant to = at.plus(INDEX_SPAN);
    List<Occurrence> near = between(current, at.minus(MAX_OCCURRENCE), to);
    Map<String, List<Occurrence>> byTarget = new HashMap<>();
    for (Occurrence o : near) {
      for (String t : o.targets()) {
        byTarget.computeIfAbsent(t, k -> new ArrayList<>(1)).add(o);
      }
    }
    i = new Index(current, at, to, List.copyOf(near), byTarget);
    index = i;
    return i;
  }

  /** Every occurrence overlapping {@code [from, to)}, sorted by start. */
  public List<Occurrence> between(Instant from, Instant to) {
    return between(all, from, to);
  }

  private static List<Occurrence> between(List<Entry> entries, Instant from, Instant to) {
    List<Occurrence> out = new ArrayList<>();
    for (Entry e : entries) {
      MaintenanceWindow w = e.window();
      if (!w.recurring()) {
        if (w.start().isBefore(to) && w.end().isAfter(from)) {
          out.add(new Occurrence(w, w.start(), w.end(), e.targets(), e.fromConfig()));
        }
        continue;
      }
      for (Recurrences.Interval i : Recurrences.between(w.recurrence(), from, to)) {
        out.add(new Occurrence(w, i.start(), i.end(), e.targets(), e.fromConfig()));
      }
    }
    out.sort(Comparator.comparing(Occurrence::start));
    return out;
  }

  private Set<String> expand(MaintenanceWindow w) {
    Set<String> ids = new LinkedHashSet<>(w.targets());
    for (Target t : config.targets()) {
      if (t.group() != null && w.groups().contains(t.group())) {
        ids.add(t.id());
      }
    }
    return ids;
  }
}
