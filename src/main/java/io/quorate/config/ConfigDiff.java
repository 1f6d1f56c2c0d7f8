package io.quorate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a live reload changes (ADR 0017): targets, pools, alert channels, SLOs and configured
 * maintenance windows compared by id. An entry present in both configs is <em>changed</em> when its
 * record differs (record equality, so any field of the target, its check, TLS policy, a pool
 * member, a channel's URL or secrets counts), else <em>unchanged</em>. Lists keep config order (the
 * new config's for added, changed and unchanged; the old one's for removed).
 *
 * @param targets the targets' changes
 * @param pools the pools' changes
 * @param channels the alert channels' changes ({@code alerts.channels})
 * @param slos the SLOs' changes ({@code slos})
 * @param windows the configured maintenance windows' changes ({@code maintenance})
 */
public record ConfigDiff(
    Changes targets, Changes pools, Changes channels, Changes slos, Changes windows) {

  /**
   * Ids sorted into four disjoint lists.
   *
   * @param added only in the new config
   * @param removed only in the old config
   * @param changed in both, with different records
   * @param unchanged in both, with equal records
   */
  public record Changes(
      List<String> added, List<String> removed, List<String> changed, List<String> unchanged) {
    public Changes {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      changed = List.copyOf(changed);
      unchanged = List.copyOf(unchanged);
    }

    /** Ids whose component state must start afresh: added and changed. */
    public Set<String> restarted() {
      Set<String> out = new java.util.LinkedHashSet<>(added);
      out.addAll(changed);
      return out;
    }

    /** True when nothing was added, removed or changed. */
    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
  }

  /** Compares {@code before} with {@code after}. */
  public static ConfigDiff of(QuorateConfig before, QuorateConfig after) {
    return new ConfigDiff(
        compare(before.targets(), after.targets(), Target::id),
        compare(before.pools(), after.pools(), Pool::id),
        compare(before.alerts().channels(), after.alerts().channels(), Alerts.Channel::id),
        compare(before.objectives().slos(), after.objectives().slos(), Objectives.Slo::id),
        compare(before.maintenance(), after.maintenance(), MaintenanceWindow::id));
  }

  /** True when no targets, pools, channels, SLOs or configured windows differ. */
  public boolean isEmpty() {
    return targets.isEmpty()
        && pools.isEmpty()
        && channels.isEmpty()
        && slos.isEmpty()
        && windows.isEmpty();
  }

  static <T> Changes compare(List<T> before, List<T> after, Function<T, String> id) {
    Map<String, T> old = new LinkedHashMap<>();
    before.forEach(t -> old.put(id.apply(t), t));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (T t : after) {
      String key = id.apply(t);
      seen.add(key);
      T was = old.get(key);
      if (was == null) {
        added.add(key);
      } else if (was.equals(t)) {
        unchanged.add(key);
      } else {
        changed.add(key);
      }
    }
    List<String> removed = old.keySet().stream().filter(k -> !seen.contains(k)).toList();
    return new Changes(added, removed, changed, unchanged);
  }
}
