package io.quorate.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulePlanTest {

  @Test
  void offsetsAreStableAndSpreadOverTheInterval() {
    long interval = 10_000;
    int[] buckets = new int[10];
    for (int i = 0; i < 10_000; i++) {
      long off = SchedulePlan.initialOffsetMs("t" + i, "eu-west", interval);
      assertTrue(off >= 0 && off < interval);
      buckets[(int) (off / 1000)]++;
    }
    for (int b : buckets) {
      // uniform would be 1000 per bucket; a bad hash would pile them up
      assertTrue(b > 800 && b < 1200, "bucket count " + b);
    }
    assertEquals(
        SchedulePlan.initialOffsetMs("a", "r", interval),
        SchedulePlan.initialOffsetMs("a", "r", interval));
    assertNotEquals(
        SchedulePlan.initialOffsetMs("a", "eu-west", interval),
        SchedulePlan.initialOffsetMs("a", "us-east", interval));
  }

  @Test
  void jitterStaysWithinBounds() {
    SchedulePlan p = new SchedulePlan(10, new SplittableRandom(1));
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 10_000; i++) {
      long v = p.nextIntervalMs(10_000);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertTrue(min >= 9_000 && min < 9_100, "min " + min);
    assertTrue(max <= 11_000 && max > 10_900, "max " + max);
    assertEquals(10_000, new SchedulePlan(0, new SplittableRandom(1)).nextIntervalMs(10_000));
    assertThrows(
        IllegalArgumentException.class, () -> new SchedulePlan(51, new SplittableRandom()));
  }
}
