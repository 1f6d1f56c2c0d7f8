package io.quorate.failover;

import io.quorate.config.Pool;
import io.quorate.failover.MemberView.Standing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The desired-set rule (DESIGN.md "Failover rules", ADR 0007): eligible primaries; none → eligible
 * backups; none → fail open. Members whose verdict is unknown stay as they are; {@code minMembers}
 * tops the set up from the current members, then fails open.
 */
final class DesiredSet {
  final Set<String> values = new LinkedHashSet<>();
  final List<String> reasons = new ArrayList<>();
  boolean failOpen;

  private final Pool pool;
  private final List<MemberView> views;
  private final boolean single;

  private DesiredSet(Pool pool, List<MemberView> views) {
    this.pool = pool;
    this.views = views;
    this.single = "CNAME".equals(pool.type());
  }

  /**
   * @param pinned manual fail-back holds the pool on backups: backups are preferred to primaries
   */
  static DesiredSet compute(Pool pool, List<MemberView> views, boolean pinned) {
    DesiredSet d = new DesiredSet(pool, views);
    List<MemberView> chosen = d.chooseTier(pinned);
    if (chosen.isEmpty()) {
      d.failOpen("no member is eligible");
    } else {
      d.fill(chosen);
      d.topUp();
    }
    return d;
  }

  private List<MemberView> chooseTier(boolean pinned) {
    List<MemberView> primaries = select(v -> v.is(Pool.Role.PRIMARY, Standing.ELIGIBLE));
    List<MemberView> backups = select(v -> v.is(Pool.Role.BACKUP, Standing.ELIGIBLE));
    if (pinned && !backups.isEmpty()) {
      reasons.add("failback manual: pinned on backups until an operator releases the pool");
      return backups;
    }
    if (pinned && !primaries.isEmpty()) {
      reasons.add("failback manual: pinned, but no backup is eligible: primaries serve");
      return primaries;
    }
    if (!primaries.isEmpty()) {
      reasons.add(primaries.size() + " eligible primary member(s) serve");
      return primaries;
    }
    if (!backups.isEmpty()) {
      reasons.add("no primary is eligible: " + backups.size() + " eligible backup(s) serve");
      return backups;
    }
    return List.of();
  }

  /** {@code chosen} plus the unknown members now served; one record only for a CNAME. */
  private void fill(List<MemberView> chosen) {
    List<MemberView> kept = select(MemberView::keptUnknown);
    if (single) {
      // RFC 1034 §3.6.2: a CNAME is the only record at its name; an unknown one stays
      MemberView one = kept.isEmpty() ? chosen.get(0) : kept.get(0);
      values.add(one.member().value());
      return;
    }
    for (MemberView v : views) {
      if (chosen.contains(v) || kept.contains(v)) {
        values.add(v.member().value());
      }
    }
  }

  /** {@code minMembers}: keep the healthiest current members, in member order; else fail open. */
  private void topUp() {
    if (values.size() >= pool.minMembers()) {
      return;
    }
    List<MemberView> candidates =
        select(v -> v.inCurrent() && v.standing() != Standing.DRAINED && !has(v));
    candidates.sort(Comparator.comparingInt(MemberView::healthRank));
    for (MemberView v : candidates) {
      if (values.size() >= pool.minMembers()) {
        break;
      }
      values.add(v.member().value());
      reasons.add(
          "minMembers "
              + pool.minMembers()
              + ": kept "
              + v.member().id()
              + " ("
              + v.status()
              + ")");
    }
    if (values.size() < pool.minMembers()) {
      failOpen("only " + values.size() + " record(s) for minMembers " + pool.minMembers());
    }
  }

  /**
   * Fail open (RELIABILITY.md promise 1): every primary that is not drained (an unknown one not
   * served now stays out while another can serve), plus the unknown members served now.
   */
  private void failOpen(String why) {
    failOpen = true;
    values.clear();
    List<MemberView> set =
        firstNonEmpty(
            select(
                v ->
                    v.member().role() == Pool.Role.PRIMARY
                        && v.standing() != Standing.DRAINED
                        && !(v.standing() == Standing.UNKNOWN && !v.inCurrent())),
            select(v -> v.member().role() == Pool.Role.PRIMARY && v.standing() != Standing.DRAINED),
            select(v -> v.standing() != Standing.DRAINED),
            select(v -> v.member().role() == Pool.Role.PRIMARY));
    List<MemberView> kept = select(MemberView::keptUnknown);
    if (single) {
      values.add((kept.isEmpty() ? set.get(0) : kept.get(0)).member().value());
    } else {
      for (MemberView v : views) {
        if (set.contains(v) || kept.contains(v)) {
          values.add(v.member().value());
        }
      }
    }
    reasons.add(
        FailoverPlanner.FAIL_OPEN
            + why
            + "; publishing "
            + values.size()
            + " record(s) of the configured set (never an empty answer)");
    if (values.size() < pool.minMembers()) {
      reasons.add("still fewer records than minMembers " + pool.minMembers());
    }
  }

  private boolean has(MemberView v) {
    return values.contains(v.member().value());
  }

  private List<MemberView> select(Predicate<MemberView> p) {
    List<MemberView> out = new ArrayList<>();
    for (MemberView v : views) {
      if (p.test(v)) {
        out.add(v);
      }
    }
    return out;
  }

  @SafeVarargs
  private static List<MemberView> firstNonEmpty(List<MemberView>... lists) {
    for (List<MemberView> l : lists) {
      if (!l.isEmpty()) {
        return l;
      }
    }
    return List.of();
  }
}
