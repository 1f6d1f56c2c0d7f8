package io.quorate.failover;

import java.util.List;

/**
 * What the planner decided for one pool: change its RRset from {@code expected} (what DNS serves
 * now, used as the UPDATE's prerequisite) to {@code desired}, or nothing, or nothing because a
 * safety rail blocks it. Every decision carries its reasons, for the audit log.
 *
 * @param poolId the pool
 * @param kind NOOP, CHANGE or BLOCKED
 * @param expected the RRset read from DNS (the compare-and-set prerequisite)
 * @param desired the RRset that should be served (equal to {@code expected} when not CHANGE)
 * @param reasons one human line per member or rail that shaped the decision
 * @param blockedBy for BLOCKED: which rail ({@code paused}, {@code frozen}, {@code rate-limit},
 *     {@code unknown-verdicts}, {@code dry-run}, …)
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

  /** The kind of decision. */
  public enum Kind {
    NOOP,
    CHANGE,
    BLOCKED
  }
}
