package io.quorate.alert;

import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: exponential backoff with full jitter (the n-th retry waits
 * a uniform random time in [0, min(cap, base·2^(n-1))]), at least the server's {@code Retry-After}
 * (RFC 9110 §10.2.3, itself capped), and never after {@code retryForMs} from the start of the retry
 * period: a delivery whose next attempt would fall later is dead-lettered.
 *
 * @param baseMs the first retry's upper bound (default 1 s)
 * @param capMs the largest backoff (default 5 min)
 * @param retryAfterCapMs the largest {@code Retry-After} honoured (default 1 h)
 * @param retryForMs how long a delivery is retried (default 24 h, {@code alerts.retryForMs})
 */
public record RetrySchedule(long baseMs, long capMs, long retryAfterCapMs, long retryForMs) {
  public static final RetrySchedule DEFAULT =
      new RetrySchedule(1_000, 300_000, 3_600_000, 86_400_000);

  public RetrySchedule {
    if (baseMs < 1 || capMs < baseMs || retryAfterCapMs < 0 || retryForMs < 0) {
      throw new IllegalArgumentException(
          "need 1 <= baseMs <= capMs, retryAfterCapMs, retryForMs >= 0");
    }
  }

  public RetrySchedule withRetryForMs(long ms) {
    return new RetrySchedule(baseMs, capMs, retryAfterCapMs, ms);
  }

  /** The backoff bound after {@code attempts} failed attempts (1, 2, …). */
  public long ceilingMs(int attempts) {
    int exp = Math.min(Math.max(attempts - 1, 0), 40);
    long bound = baseMs << Math.min(exp, Long.numberOfLeadingZeros(baseMs) - 1);
    return Math.min(capMs, bound);
  }

  /** The wait before the next attempt: full jitter, raised to the capped {@code Retry-After}. */
  public long delayMs(int attempts, long retryAfterMs, RandomGenerator random) {
    long jitter = random.nextLong(ceilingMs(attempts) + 1);
    return Math.max(jitter, Math.min(retryAfterMs, retryAfterCapMs));
  }

  /**
   * The next attempt after {@code attempts} failures, or {@code null} when it would fall after
   * {@code retryFrom + retryForMs} (dead-letter it).
   */
  public Instant next(
      int attempts, Instant retryFrom, Instant now, long retryAfterMs, RandomGenerator random) {
    Instant next = now.plusMillis(delayMs(attempts, retryAfterMs, random));
    return next.isAfter(retryFrom.plusMillis(retryForMs)) ? null : next;
  }
}
