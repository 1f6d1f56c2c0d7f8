package io.quorate.quorum;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link ActionGate#decide} allows now: act, wait until an instant (then ask again), or refuse
 * with a reason.
 *
 * @param kind ACT, WAIT or REFUSE
 * @param rank this agent's writer rank among the live regions ({@code -1} when refused)
 * @param until for WAIT, the earliest instant at which this rank may act; else {@code null}
 * @param reason for REFUSE, {@link #NOT_QUORATE} or {@link #SETTLING}; else {@code null}
 */
public record Decision(Kind kind, int rank, Instant until, String reason) {
  public static final String NOT_QUORATE = "not quorate";
  public static final String SETTLING = "settling";

  /** The three answers. */
  public enum Kind {
    ACT,
    WAIT,
    REFUSE
  }

  public Decision {
    Objects.requireNonNull(kind, "kind");
  }

  static Decision act(int rank) {
    return new Decision(Kind.ACT, rank, null, null);
  }

  static Decision waitUntil(int rank, Instant until) {
    return new Decision(Kind.WAIT, rank, Objects.requireNonNull(until, "until"), null);
  }

  static Decision refuse(String reason) {
    return new Decision(Kind.REFUSE, -1, null, Objects.requireNonNull(reason, "reason"));
  }

  /** True for ACT. */
  public boolean mayAct() {
    return kind == Kind.ACT;
  }
}
