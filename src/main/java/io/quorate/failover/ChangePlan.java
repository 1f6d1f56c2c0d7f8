package io.quorate.failover;

import java.util.List;

/**
 * What the planner decided for one pool: change its RRset from {@code expected} (what DNS serves
 * now, used as the UPDATE's prerequisite) to {@code desired}, or nothing, or nothing because a
 * safety rail blocks it. Every decision carries its reasons, for the audit log.
 *
 * <p>A dry run ({@code Pool.dryRun}) is planned in full: its kind is {@code CHANGE} with the real
 * {@code desired}, but {@code blockedBy} is {@code "dry-run"}, and the executor must not write it
 * (nor record it as applied). Only a CHANGE with {@code blockedBy == null} is written: see {@link
 * #writes()}. A BLOCKED plan has {@code desired} equal to {@code expected}; what it would have done
 * is in its last reason line.
 *
 * @param poolId the pool
 * @param kind NOOP, CHANGE or BLOCKED
 * @param expected the RRset read from DNS (the compare-and-set prerequisite)
 * @param desired the RRset that should be served (equal to {@code expected} when not CHANGE)
 * @param reasons one human line per member or rail that shaped the decision
 * @param blockedBy for BLOCKED: which rail ({@code paused}, {@code frozen}, {@code rate-limit});
 *     for a dry-run CHANGE: {@code dry-run}; otherwise {@code null}
 */
public record ChangePlan(
    String poolId,
    Kind kind,
    RRset expected,
    RRset desired,
    List<String> reasons,
    String blockedBy) {

  public ChangePlan {
    reasons = List.copyOf(reasons);
  }

  /** Whether the executor should write this plan: a CHANGE that no rail (or dry run) holds. */
  public boolean writes() {
    return kind == Kind.CHANGE && blockedBy == null;
  }

  /** The kind of decision. */
  public enum Kind {
    NOOP,
    CHANGE,
    BLOCKED
  }
}
