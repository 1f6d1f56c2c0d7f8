package io.quorate.maintenance;

import io.quorate.config.MaintenanceWindow;
import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every maintenance window the agent knows (the shared config's and those created through the API),
 * answering which occurrences cover a target at an instant. Thread-safe: readers see an immutable
 * snapshot; {@link #replaceDynamic} swaps it.
 */
public final class MaintenanceCalendar {
  /** Occurrences are looked for this far back from an instant (longer windows are refused). */
  public static final Duration MAX_OCCURRENCE = Duration.ofDays(7);

  private record Entry(MaintenanceWindow window, Set<String> targets, boolean fromConfig) {}

  private final QuorateConfig config;
  private final List<Entry> configured;
  private volatile List<Entry> all;

  public MaintenanceCalendar(QuorateConfig config) {
    this.config = config;
    List<Entry> c = new ArrayList<>();
    for (MaintenanceWindow w : config.maintenance()) {
      c.add(new Entry(w, expand(w), true));
    }
    this.configured = List.copyOf(c);
    this.all = configured;
  }

  /** Replaces the windows created through the API (ids never collide with configured ones). */
  public void replaceDynamic(Collection<MaintenanceWindow> windows) {
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

  /** The occurrence covering {@code target} at {@code at} that ends last, if any. */
  public Optional<Occurrence> covering(String target, Instant at) {
    return active(at).stream()
        .filter(o -> o.targets().contains(target))
        .max(Comparator.comparing(Occurrence::end));
  }

  /** True when a covering occurrence at {@code at} freezes failover for {@code target}. */
  public boolean freezes(String target, Instant at) {
    return active(at).stream()
        .anyMatch(
            o ->
                o.targets().contains(target)
                    && o.window().failover() == MaintenanceWindow.FailoverMode.FREEZE);
  }

  /** Every occurrence covering {@code at}. */
  public List<Occurrence> active(Instant at) {
    List<Occurrence> out = new ArrayList<>();
    for (Occurrence o : between(at.minus(MAX_OCCURRENCE), at.plusMillis(1))) {
      if (o.covers(at)) {
        out.add(o);
      }
    }
    return out;
  }

  /** Every occurrence overlapping {@code [from, to)}, sorted by start. */
  public List<Occurrence> between(Instant from, Instant to) {
    List<Occurrence> out = new ArrayList<>();
    for (Entry e : all) {
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
