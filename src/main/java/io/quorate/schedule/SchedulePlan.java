package io.quorate.schedule;

import java.util.random.RandomGenerator;

/**
 * Pure timing arithmetic of the scheduler: where in its interval each target starts (spread, so
 * thousands of targets with one interval do not fire together) and how much each interval is
 * jittered.
 */
public final class SchedulePlan {
  private final int jitterPercent;
  private final RandomGenerator random;

  public SchedulePlan(int jitterPercent, RandomGenerator random) {
    if (jitterPercent < 0 || jitterPercent > 50) {
      throw new IllegalArgumentException("jitterPercent must be in 0..50");
    }
    this.jitterPercent = jitterPercent;
    this.random = random;
  }

  /**
   * First start offset in [0, interval): a stable hash of the target id, so a restart keeps the
   * same phase and two regions probe a target at different but stable moments.
   */
  public static long initialOffsetMs(String targetId, String region, long intervalMs) {
    long h = 1125899906842597L;
    for (char c : (region + "/" + targetId).toCharArray()) {
      h = 31 * h + c;
    }
    h ^= (h >>> 33);
    h *= 0xff51afd7ed558ccdL;
    h ^= (h >>> 33);
    return Math.floorMod(h, intervalMs);
  }

  /** The next interval: {@code intervalMs} stretched or shrunk by up to jitterPercent. */
  public long nextIntervalMs(long intervalMs) {
    if (jitterPercent == 0) {
      return intervalMs;
    }
    long span = intervalMs * jitterPercent / 100;
    return intervalMs - span + (long) (random.nextDouble() * (2 * span + 1));
  }
}
