package io.quorate.failover;

import io.quorate.config.Pool;
import io.quorate.config.RecordValues;
import io.quorate.quorum.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides what one pool's RRset should be (ADR 0007). Pure: a function of the pool's config, the
 * quorum's verdicts, the RRset read from DNS, the pool's {@link PoolState} (read, never changed)
 * and the time given. No I/O; the executor reads the current RRset, applies a CHANGE with the
 * expected RRset as its compare-and-set prerequisite, and then calls {@link
 * PoolState#recordApplied(ChangePlan)}.
 *
 * <p>Rules, in order: paused → BLOCKED {@code paused}; frozen → BLOCKED {@code frozen}; every
 * member UNKNOWN (and DNS not empty) → NOOP; desired equal to current → NOOP; more than {@link
 * Pool#maxChangesPerWindow()} changes in {@link Pool#windowMs()} → BLOCKED {@code rate-limit}
 * (never while DNS serves nothing); {@link Pool#dryRun()} → CHANGE marked {@code dry-run};
 * otherwise CHANGE.
 */
public final class FailoverPlanner {
  /** Every reason line that reports failing open starts with this. */
  public static final String FAIL_OPEN = "fail open: ";

  /** Whether {@code plan} failed open (every member looked down): a critical event. */
  public static boolean failsOpen(ChangePlan plan) {
    return plan.reasons().stream().anyMatch(r -> r.startsWith(FAIL_OPEN));
  }

  /**
   * Plans one pool.
   *
   * @param pool the pool's configuration
   * @param verdictsByTarget the quorum's verdict per target id; a missing target is UNKNOWN
   * @param current the RRset DNS serves now (the prerequisite of a change); names and values in any
   *     presentation form of {@link RRset}, compared canonically
   * @param state the pool's state (operator switches, hold-down, recent changes)
   * @param now the planning instant
   * @throws IllegalArgumentException when {@code current} is not the pool's name and type
   */
  public ChangePlan plan(
      Pool pool,
      Map<String, Verdict> verdictsByTarget,
      RRset current,
      PoolState state,
      Instant now) {
    if (!normal(current.name()).equals(pool.name())
        || !current.type().equalsIgnoreCase(pool.type())) {
      throw new IllegalArgumentException(
          "RRset " + current.name() + " " + current.type() + " is not pool " + pool.id());
    }
    Set<String> served = canonical(pool.type(), current.values());
    List<MemberView> views = new ArrayList<>();
    for (Pool.Member m : pool.members()) {
      views.add(MemberView.of(pool, m, verdictsByTarget, served.contains(m.value()), state, now));
    }
    // UNKNOWN never changes anything: with no verdict to act on, DNS stays as it is (unless empty)
    boolean allUnknown =
        !current.isEmpty()
            && views.stream()
                .filter(v -> v.standing() != MemberView.Standing.DRAINED)
                .allMatch(v -> v.standing() == MemberView.Standing.UNKNOWN);
    DesiredSet set = DesiredSet.compute(pool, views, pinned(pool, state, views));
    Set<String> values = allUnknown ? served : set.values;
    RRset desired = new RRset(pool.name(), pool.type(), pool.ttl(), values);

    List<String> reasons = new ArrayList<>();
    views.forEach(v -> reasons.add(line(v, values.contains(v.member().value()))));
    if (!allUnknown) {
      reasons.addAll(set.reasons);
    }
    for (String v : served) {
      if (!allUnknown && pool.members().stream().noneMatch(m -> m.value().equals(v))) {
        reasons.add(v + ": not a member's value, removed");
      }
    }
    boolean sameRecords = served.equals(desired.values());
    if (sameRecords && !allUnknown && !current.isEmpty() && current.ttl() != pool.ttl()) {
      reasons.add("TTL " + current.ttl() + " → " + pool.ttl());
    }
    boolean same =
        allUnknown || (sameRecords && (current.isEmpty() || current.ttl() == pool.ttl()));
    return decide(new Draft(pool, current, desired, same, allUnknown, reasons), state, now);
  }

  /** The desired RRset and how it compares, before the rails. */
  private record Draft(
      Pool pool,
      RRset current,
      RRset desired,
      boolean same,
      boolean allUnknown,
      List<String> reasons) {}

  private static ChangePlan decide(Draft d, PoolState state, Instant now) {
    Pool pool = d.pool();
    RRset current = d.current();
    RRset desired = d.desired();
    boolean same = d.same();
    List<String> reasons = d.reasons();
    String change = "change " + current.values() + " → " + desired.values();
    if (state.paused()) {
      return blocked(pool, current, "paused", same, change, reasons);
    }
    if (state.frozen().isPresent()) {
      PoolState.Freeze f = state.frozen().get();
      reasons.add("frozen since " + f.since() + ": " + f.why());
      return blocked(pool, current, "frozen", same, change, reasons);
    }
    if (d.allUnknown()) {
      reasons.add("every member's verdict is UNKNOWN: nothing changes");
      return new ChangePlan(pool.id(), ChangePlan.Kind.NOOP, current, current, reasons, null);
    }
    if (same) {
      reasons.add("no change");
      return new ChangePlan(pool.id(), ChangePlan.Kind.NOOP, current, current, reasons, null);
    }
    String limit = rateLimit(pool, current, state, now);
    if (limit != null) {
      reasons.add(limit);
      return blocked(pool, current, "rate-limit", false, change, reasons);
    }
    if (current.isEmpty()) {
      reasons.add("DNS serves no record: restoring (RELIABILITY.md promise 1)");
    }
    reasons.add(change);
    if (pool.dryRun()) {
      reasons.add("dry run: planned, not written");
      return new ChangePlan(
          pool.id(), ChangePlan.Kind.CHANGE, current, desired, reasons, "dry-run");
    }
    return new ChangePlan(pool.id(), ChangePlan.Kind.CHANGE, current, desired, reasons, null);
  }

  /** Why the rate limit holds a change back, or null (never while DNS serves no record). */
  private static String rateLimit(Pool pool, RRset current, PoolState state, Instant now) {
    int recent = state.changesWithin(pool.windowMs(), now);
    if (recent < pool.maxChangesPerWindow() || current.isEmpty()) {
      return null;
    }
    return "rate limit: "
        + recent
        + " change(s) within "
        + pool.windowMs()
        + " ms (maxChangesPerWindow "
        + pool.maxChangesPerWindow()
        + ")";
  }

  private static ChangePlan blocked(
      Pool pool, RRset current, String rail, boolean same, String change, List<String> reasons) {
    reasons.add(rail + ": " + (same ? "nothing would change" : "would " + change));
    return new ChangePlan(pool.id(), ChangePlan.Kind.BLOCKED, current, current, reasons, rail);
  }

  /**
   * Manual fail-back holds the pool on backups: recorded in the state when this agent wrote the
   * move, or seen in DNS (a backup is served) after a restart or another region's write. An
   * operator's release lifts it until the pool has left the backups.
   */
  private static boolean pinned(Pool pool, PoolState state, List<MemberView> views) {
    if (pool.failback() != Pool.Failback.MANUAL || state.released()) {
      return false;
    }
    return state.pinned()
        || views.stream().anyMatch(v -> v.member().role() == Pool.Role.BACKUP && v.inCurrent());
  }

  private static String line(MemberView v, boolean desired) {
    Pool.Member m = v.member();
    String action;
    if (v.inCurrent()) {
      action = desired ? "stays" : "removed";
    } else {
      action = desired ? "added" : "stays out";
    }
    String role = m.role().wireName();
    return m.id() + " (" + role + ", " + m.value() + "): " + v.detail() + "; " + action;
  }

  /** Canonical forms of values read from DNS; one that does not parse is kept lower-cased. */
  static Set<String> canonical(String type, Set<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      String c = RecordValues.canonical(type.toUpperCase(Locale.ROOT), v);
      out.add(c == null ? v.toLowerCase(Locale.ROOT) : c);
    }
    return out;
  }

  private static String normal(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
