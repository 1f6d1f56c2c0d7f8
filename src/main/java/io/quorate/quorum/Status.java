package io.quorate.quorum;

/** A target's state as judged locally (one region) or by the quorum. */
public enum Status {
  UP,
  DOWN,
  DEGRADED,
  /** Not enough information yet: never a reason to act. */
  UNKNOWN,
  /**
   * Inside a maintenance window: never produced by the quorum engine, only by the maintenance
   * overlay for what is shown, recorded and alerted. Not charged against uptime.
   */
  MAINTENANCE
}
