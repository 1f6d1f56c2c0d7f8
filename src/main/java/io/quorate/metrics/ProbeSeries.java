package io.quorate.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import java.util.Arrays;

/**
 * One target's probe meters as primitives: the duration histogram (fixed buckets, count, sum and
 * Micrometer's time-window max), the results counters per outcome and error kind, the leaf
 * certificate's expiry and the local state. {@link ProbeFamilies} renders them at scrape time.
 * About 300 bytes per target instead of a Micrometer timer with 11 SLO buckets and its counters
 * (several KB, issue 8). Recording allocates nothing (except when a target sees an outcome and
 * error kind pair for the first time).
 *
 * <p>Thread-safe: results are recorded on event loops, scrapes read on a worker; both take this
 * object's monitor (uncontended: one target's results come one at a time).
 */
final class ProbeSeries {
  /** Upper bounds of the duration buckets in seconds, as Micrometer exposed the SLOs; +Inf last. */
  static final double[] BOUNDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, Double.POSITIVE_INFINITY
  };

  /**
   * Micrometer's Prometheus default for the max: 3 slots, one reset every step (1 minute), so a
   * value is shown for 2 to 3 minutes.
   */
  static final long MAX_ROTATE_MS = 60_000;

  private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];
  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final ErrorKind[] ERROR_KINDS = ErrorKind.values();
  private static final int KINDS = ERROR_KINDS.length + 1;
  private static final int KEY_SHIFT = 48;
  private static final long COUNT_MASK = (1L << KEY_SHIFT) - 1;
  static final long NO_CERT = Long.MIN_VALUE;

  static {
    for (int i = 0; i < BOUNDS.length; i++) {
      BOUNDS_NANOS[i] =
          Double.isInfinite(BOUNDS[i]) ? Long.MAX_VALUE : Math.round(BOUNDS[i] * 1_000_000_000L);
    }
  }

  final Labels labels;
  volatile Status state = Status.UNKNOWN;

  private final long[] buckets = new long[BOUNDS.length];
  private long sumNanos;
  private final long[] maxRing = new long[3];
  private int maxSlot;
  private long maxRotatedAt;
  // (outcome, error kind) key in the top 16 bits, count in the low 48; grown on a new pair
  private long[] results = new long[1];
  private int resultsUsed;
  private long certExpiry = NO_CERT;

  ProbeSeries(Labels labels, long nowMs) {
    this.labels = labels;
    this.maxRotatedAt = nowMs;
  }

  /** Counts one result; a negative duration counts the result only, as Micrometer ignored it. */
  synchronized void record(Outcome outcome, ErrorKind kind, long nanos, long nowMs) {
    count(outcome.ordinal() * KINDS + (kind == null ? 0 : kind.ordinal() + 1));
    if (nanos < 0) {
      return;
    }
    int i = 0;
    while (nanos > BOUNDS_NANOS[i]) {
      i++;
    }
    buckets[i]++;
    sumNanos += nanos;
    rotate(nowMs);
    for (int s = 0; s < maxRing.length; s++) {
      maxRing[s] = Math.max(maxRing[s], nanos);
    }
  }

  synchronized void certExpiry(long epochSeconds) {
    certExpiry = epochSeconds;
  }

  private void count(int key) {
    for (int i = 0; i < resultsUsed; i++) {
      if ((int) (results[i] >>> KEY_SHIFT) == key) {
        results[i]++;
        return;
      }
    }
    if (resultsUsed == results.length) {
      results = Arrays.copyOf(results, resultsUsed * 2);
    }
    results[resultsUsed++] = ((long) key << KEY_SHIFT) | 1;
  }

  /** Micrometer's {@code TimeWindowMax.rotate}: one slot expires every {@link #MAX_ROTATE_MS}. */
  private void rotate(long nowMs) {
    long since = nowMs - maxRotatedAt;
    if (since < MAX_ROTATE_MS) {
      return;
    }
    if (since >= MAX_ROTATE_MS * maxRing.length) {
      Arrays.fill(maxRing, 0);
      maxSlot = 0;
      maxRotatedAt = nowMs - since % MAX_ROTATE_MS;
      return;
    }
    int iterations = 0;
    do {
      maxRing[maxSlot] = 0;
      maxSlot = (maxSlot + 1) % maxRing.length;
      since -= MAX_ROTATE_MS;
      maxRotatedAt += MAX_ROTATE_MS;
    } while (since >= MAX_ROTATE_MS && ++iterations < maxRing.length);
  }

  /** A consistent copy for one scrape. */
  synchronized Snapshot snapshot(long nowMs) {
    rotate(nowMs);
    long[] counts = new long[resultsUsed];
    int[] keys = new int[resultsUsed];
    for (int i = 0; i < resultsUsed; i++) {
      keys[i] = (int) (results[i] >>> KEY_SHIFT);
      counts[i] = results[i] & COUNT_MASK;
    }
    return new Snapshot(buckets.clone(), sumNanos, maxRing[maxSlot], keys, counts, certExpiry);
  }

  /**
   * One target's values at a scrape.
   *
   * @param buckets per-bucket counts (not cumulative), one per {@link #BOUNDS}
   * @param keys the (outcome, error kind) pairs seen, decoded by {@link #outcome} and {@link #kind}
   */
  record Snapshot(
      long[] buckets, long sumNanos, long maxNanos, int[] keys, long[] counts, long certExpiry) {
    long count() {
      long n = 0;
      for (long b : buckets) {
        n += b;
      }
      return n;
    }
  }

  static Outcome outcome(int key) {
    return OUTCOMES[key / KINDS];
  }

  /** The error kind of a results key, null for none. */
  static ErrorKind kind(int key) {
    int k = key % KINDS;
    return k == 0 ? null : ERROR_KINDS[k - 1];
  }
}
