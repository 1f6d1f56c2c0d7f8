package io.quorate.failover;

import io.quorate.config.Pool;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One member as the planner sees it at one instant: its verdict, whether it is in the current
 * RRset, and what that makes it.
 *
 * @param member the configured member
 * @param status its target's verdict ({@link Status#UNKNOWN} when there is none)
 * @param standing what the planner may do with it
 * @param inCurrent its value is in the RRset DNS serves now
 * @param detail a short human description of {@code standing}
 */
record MemberView(
    Pool.Member member, Status status, Standing standing, boolean inCurrent, String detail) {

  /** What a member's verdict and the operator's switches make it. */
  enum Standing {
    /** Kept out by an operator (or config). */
    DRAINED,
    /** Counted up and, when not in the RRset, up for at least the hold-down: may serve. */
    ELIGIBLE,
    /** Counted up, not in the RRset, hold-down not yet over. */
    HOLDING,
    /** DOWN, or DEGRADED counted as down. */
    DOWN,
    /** No verdict to act on: left as it is. */
    UNKNOWN
  }

  boolean is(Pool.Role role, Standing s) {
    return member.role() == role && standing == s;
  }

  /** Unknown and in the RRset: must stay (UNKNOWN never changes anything). */
  boolean keptUnknown() {
    return standing == Standing.UNKNOWN && inCurrent;
  }

  /** Lower is healthier: used to pick which current members to keep for {@code minMembers}. */
  int healthRank() {
    switch (status) {
      case UP:
        return 0;
      case DEGRADED:
        return 1;
      case UNKNOWN:
        return 2;
      default:
        return 3;
    }
  }

  /** Classifies {@code m}; {@code inCurrent} by canonical value. */
  static MemberView of(
      Pool pool,
      Pool.Member m,
      Map<String, Verdict> verdicts,
      boolean inCurrent,
      PoolState state,
      Instant now) {
    Verdict v = verdicts.get(m.target());
    Status status = v == null ? Status.UNKNOWN : v.state();
    if (state.drained().contains(m.id())) {
      return new MemberView(m, status, Standing.DRAINED, inCurrent, "drained by an operator");
    }
    if (status == Status.UNKNOWN) {
      String why = v == null ? "no verdict" : "UNKNOWN";
      return new MemberView(m, status, Standing.UNKNOWN, inCurrent, why + ", left as it is");
    }
    if (!state.countsUp(status)) {
      String why = status == Status.DEGRADED ? "DEGRADED, counted as down" : "DOWN";
      return new MemberView(m, status, Standing.DOWN, inCurrent, why);
    }
    if (inCurrent) {
      return new MemberView(m, status, Standing.ELIGIBLE, true, status.name());
    }
    // RELIABILITY.md promise 4: a recovered member returns only after the hold-down
    Instant since = state.upSince(m.id()).orElse(v.since() == null ? now : v.since());
    long upMs = Math.max(0, Duration.between(since, now).toMillis());
    if (upMs >= pool.holdDownMs()) {
      String d = status.name() + " for " + upMs + " ms (hold-down " + pool.holdDownMs() + " ms)";
      return new MemberView(m, status, Standing.ELIGIBLE, false, d);
    }
    String d =
        status.name() + " for " + upMs + " ms, in hold-down until " + pool.holdDownMs() + " ms";
    return new MemberView(m, status, Standing.HOLDING, false, d);
  }
}
