package io.quorate.config;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The immutable target list of a {@link QuorateConfig}, with an index by id built once, so {@link
 * QuorateConfig#target(String)} is a hash lookup instead of a scan (it is called per observation
 * and per verdict: 10,000 targets made it a hot loop). A plain {@link List} to everyone else:
 * equality and hash code are the list's, so the record's semantics do not change.
 */
final class IndexedTargets extends AbstractList<Target> implements RandomAccess {
  private final List<Target> targets;
  private final Map<String, Target> byId;

  private IndexedTargets(List<Target> targets) {
    this.targets = targets;
    this.byId = new HashMap<>(targets.size() * 2);
    for (Target t : targets) {
      byId.putIfAbsent(t.id(), t); // the first of a duplicated id, as a scan would find
    }
  }

  /** An indexed immutable copy of {@code targets} (no nulls, like {@link List#copyOf}). */
  static List<Target> of(List<Target> targets) {
    return targets instanceof IndexedTargets i ? i : new IndexedTargets(List.copyOf(targets));
  }

  /** The target with {@code id}, or {@code null}. */
  Target byId(String id) {
    return byId.get(id);
  }

  @Override
  public Target get(int index) {
    return targets.get(index);
  }

  @Override
  public int size() {
    return targets.size();
  }
}
