package io.quorate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.probe.Outcome;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The latency histogram's error bound on random data, its blob, and minutes closing once. */
class RollupAccumulatorTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void theStatedErrorBoundIsUnderTenPercent() {
    assertEquals(LatencyHistogram.BUCKETS, 79);
    assertTrue(
        LatencyHistogram.MAX_RELATIVE_ERROR < 0.092, "" + LatencyHistogram.MAX_RELATIVE_ERROR);
    assertTrue(
        LatencyHistogram.MAX_RELATIVE_ERROR > 0.090, "" + LatencyHistogram.MAX_RELATIVE_ERROR);
    assertEquals(100, LatencyHistogram.BOUNDS[0]);
    assertTrue(LatencyHistogram.BOUNDS[LatencyHistogram.LOG_BUCKETS] > 60_000_000L);
    assertEquals(0, LatencyHistogram.bucket(99));
    assertEquals(1, LatencyHistogram.bucket(100));
    assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucket(Long.MAX_VALUE));
  }

  @Test
  void percentilesAreWithinTheBoundOfTheExactNearestRankOnRandomData() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int round = 0; round < 500; round++) {
      int n = 1 + rnd.nextInt(round < 250 ? 12 : 5_000);
      long[] values = new long[n];
      LatencyHistogram h = new LatencyHistogram();
      for (int i = 0; i < n; i++) {
        // log-uniform from 0.1 ms to 60 s
        values[i] = Math.round(100 * Math.pow(600_000, rnd.nextDouble()));
        h.record(values[i]);
      }
      Arrays.sort(values);
      for (double p : new double[] {0.5, 0.95, 0.99, 1.0}) {
        long exact = values[(int) Math.max(1, Math.ceil(p * n)) - 1];
        long est = h.percentile(p);
        double err = Math.abs(est - exact) / (double) exact;
        assertTrue(
            err <= LatencyHistogram.MAX_RELATIVE_ERROR + 1.0 / exact,
            "p" + p + " of " + n + ": " + est + " vs exact " + exact);
      }
      assertEquals(values[n - 1], h.maxMicros());
      assertEquals(values[n - 1], h.percentile(1.0), "p100 is the exact max");
    }
  }

  @Test
  void belowATenthOfAMillisecondIsReportedAsFiftyMicros() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(20);
    h.record(90);
    h.record(-5);
    assertEquals(50L, h.percentile(0.5));
    assertEquals(90L, h.maxMicros());
    assertNull(new LatencyHistogram().percentile(0.5));
    assertNull(new LatencyHistogram().maxMicros());
  }

  @Test
  void theBlobRoundTripsAndSumsExactly() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    long[] xs = {15, 1_000, 1_100, 250_000, 70_000_000};
    for (long x : xs) {
      a.record(x);
      b.record(x * 2);
    }
    LatencyHistogram back = LatencyHistogram.decode(a.encode());
    assertArrayEquals(a.encode(), back.encode());
    assertEquals(70_000_000L, back.maxMicros());
    assertEquals(5, back.count());
    assertTrue(a.encode().length <= 20, "compact: " + a.encode().length + " bytes");
    LatencyHistogram sum = LatencyHistogram.decode(a.encode());
    sum.add(LatencyHistogram.decode(b.encode()));
    assertEquals(10, sum.count());
    assertEquals(140_000_000L, sum.maxMicros());
    assertEquals(
        new LatencyHistogram().percentile(0.5),
        LatencyHistogram.decode(new LatencyHistogram().encode()).percentile(0.5));
    for (byte[] bad :
        List.of(
            new byte[0],
            new byte[] {2, 0},
            new byte[] {1, 0, 100, 1},
            new byte[] {1, (byte) 0x80})) {
      assertThrows(IllegalArgumentException.class, () -> LatencyHistogram.decode(bad));
    }
  }

  @Test
  void aMinuteClosesExactlyOnceWhenTheClockPassesItsEnd() {
    MinuteAccumulator acc = new MinuteAccumulator(10);
    acc.add("web-1", Outcome.UP, 12.5, T0.plusSeconds(1));
    acc.add("web-1", Outcome.DOWN, 5_000, T0.plusSeconds(30));
    acc.add("web-2", Outcome.DEGRADED, 900, T0.plusSeconds(59));
    acc.add("web-1", Outcome.UP, 14, T0.plusSeconds(60));
    assertEquals(List.of(), acc.closed(T0.plusMillis(59_999)), "still open");
    List<MinuteAccumulator.Minute> closed = acc.closed(T0.plusSeconds(60));
    assertEquals(1, closed.size());
    assertEquals(T0, closed.get(0).start());
    MinuteAccumulator.Cell web1 = cell(closed.get(0), "web-1");
    assertEquals(List.of(1, 1, 0), List.of(web1.up(), web1.down(), web1.degraded()));
    assertEquals(1, web1.latency().count(), "DOWN durations stay out of the latency histogram");
    assertEquals(12_500L, web1.latency().maxMicros());
    assertEquals(1, cell(closed.get(0), "web-2").degraded());
    assertEquals(List.of(), acc.closed(T0.plusSeconds(61)), "never twice");
    // the clock steps back into the closed minute: the observation goes to the open one
    acc.add("web-2", Outcome.UP, 1, T0.plusSeconds(10));
    List<MinuteAccumulator.Minute> next = acc.closed(T0.plusSeconds(120));
    assertEquals(1, next.size());
    assertEquals(T0.plusSeconds(60), next.get(0).start());
    assertEquals(1, cell(next.get(0), "web-2").up());
    assertEquals(1, cell(next.get(0), "web-1").up());
  }

  @Test
  void targetsPerMinuteAreBounded() {
    MinuteAccumulator acc = new MinuteAccumulator(2);
    acc.add("a", Outcome.UP, 1, T0);
    acc.add("b", Outcome.UP, 1, T0);
    acc.add("c", Outcome.UP, 1, T0);
    acc.add("a", Outcome.UP, 1, T0);
    assertEquals(1, acc.dropped());
    assertEquals(2, acc.closed(T0.plusSeconds(60)).get(0).cells().size());
  }

  static MinuteAccumulator.Cell cell(MinuteAccumulator.Minute m, String target) {
    return m.cells().stream().filter(c -> c.target().equals(target)).findFirst().orElseThrow();
  }
}
