package io.quorate.quorum;

import java.time.Instant;

/**
 * One target's hysteresis state in one region: the status it holds, since when, how many times it
 * changed, and the runs of consecutive results that drive the next change.
 *
 * @param status current status
 * @param since when {@code status} was entered ({@code null} while UNKNOWN from the start)
 * @param transitions how many status changes so far (monotonically increasing)
 * @param failRun consecutive DOWN results
 * @param passRun consecutive UP-or-DEGRADED results
 * @param okRun consecutive UP results
 * @param warnRun consecutive results that were not UP (DEGRADED or DOWN)
 */
public record HysteresisState(
    Status status,
    Instant since,
    long transitions,
    int failRun,
    int passRun,
    int okRun,
    int warnRun) {

  /** The state before any result: UNKNOWN, no runs. */
  public static final HysteresisState INITIAL =
      new HysteresisState(Status.UNKNOWN, null, 0, 0, 0, 0, 0);
}
