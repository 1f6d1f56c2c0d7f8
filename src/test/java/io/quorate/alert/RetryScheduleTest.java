package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter, Retry-After, and the end of the retry period. */
class RetryScheduleTest {
  static final RetrySchedule S = RetrySchedule.DEFAULT;
  static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

  @Test
  void ceilingDoublesFromTheBaseUpToTheCap() {
    long[] expected = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000};
    for (int n = 1; n <= expected.length; n++) {
      assertEquals(expected[n - 1], S.ceilingMs(n), "after " + n + " failures");
    }
    assertEquals(300_000, S.ceilingMs(10));
    assertEquals(300_000, S.ceilingMs(1_000_000), "no overflow for absurd attempt counts");
  }

  @Test
  void fullJitterCoversTheWholeRangeAndNeverExceedsIt() {
    Random r = new Random(7);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = S.delayMs(3, -1, r);
      assertTrue(d >= 0 && d <= 4_000, "delay " + d);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertTrue(min < 100 && max > 3_900, "uniform over [0, 4000]: " + min + ".." + max);
  }

  @Test
  void retryAfterIsAFloorAndIsCapped() {
    Random r = new Random(1);
    assertEquals(30_000, S.delayMs(1, 30_000, r), "jitter (<= 1 s) is below Retry-After");
    assertEquals(3_600_000, S.delayMs(1, 7_200_000, r), "Retry-After capped at 1 h");
    long d = S.delayMs(12, 10, r);
    assertTrue(d >= 10 && d <= 300_000, "a small Retry-After leaves the jitter: " + d);
  }

  @Test
  void noAttemptIsScheduledAfterTheRetryPeriod() {
    RetrySchedule oneMinute = S.withRetryForMs(60_000);
    Random r = new Random(3);
    Instant almost = T0.plusSeconds(59);
    assertEquals(
        almost.plusSeconds(1), oneMinute.next(1, T0, almost, 1_000, r), "exactly at the end");
    assertNull(oneMinute.next(1, T0, almost, 1_001, r), "1 ms past the end: dead");
    assertNull(oneMinute.next(1, T0, T0.plusSeconds(61), -1, r));
  }
}
