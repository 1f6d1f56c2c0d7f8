package io.quorate.quorum;

import io.quorate.probe.Outcome;
import java.time.Instant;

/**
 * HAProxy-style {@code fall}/{@code rise} hysteresis, a pure function: {@code fall} consecutive
 * failures make DOWN, {@code rise} consecutive passes make UP (or DEGRADED when the latest pass was
 * degraded). Between UP and DEGRADED the same counts apply: {@code fall} consecutive results that
 * are not clean (DEGRADED or DOWN) turn UP into DEGRADED, and {@code rise} consecutive clean ones
 * turn it back. A single odd result therefore never changes the status, and a target that
 * alternates DOWN and DEGRADED cannot stay UP.
 *
 * <p>Used per target in one region now, and per (target, region) by the quorum engine.
 */
public final class Hysteresis {
  private final int fall;
  private final int rise;

  public Hysteresis(int fall, int rise) {
    if (fall < 1 || rise < 1) {
      throw new IllegalArgumentException("fall and rise must be >= 1");
    }
    this.fall = fall;
    this.rise = rise;
  }

  /** The state after {@code outcome} was observed at {@code at}. */
  public HysteresisState next(HysteresisState s, Outcome outcome, Instant at) {
    int failRun = outcome == Outcome.DOWN ? s.failRun() + 1 : 0;
    int passRun = outcome == Outcome.DOWN ? 0 : s.passRun() + 1;
    int okRun = outcome == Outcome.UP ? s.okRun() + 1 : 0;
    int warnRun = outcome == Outcome.UP ? 0 : s.warnRun() + 1;
    Status next = decide(s.status(), outcome, failRun, passRun, okRun, warnRun);
    boolean changed = next != s.status();
    return new HysteresisState(
        next,
        changed ? at : s.since(),
        changed ? s.transitions() + 1 : s.transitions(),
        failRun,
        passRun,
        okRun,
        warnRun);
  }

  private Status decide(
      Status current, Outcome latest, int failRun, int passRun, int okRun, int warnRun) {
    if (failRun >= fall) {
      return Status.DOWN;
    }
    switch (current) {
      case UNKNOWN, DOWN:
        if (passRun >= rise) {
          return latest == Outcome.DEGRADED ? Status.DEGRADED : Status.UP;
        }
        return current;
      case UP:
        return warnRun >= fall ? Status.DEGRADED : Status.UP;
      case DEGRADED:
        return okRun >= rise ? Status.UP : Status.DEGRADED;
      default:
        throw new IllegalStateException("unhandled status " + current);
    }
  }
}
