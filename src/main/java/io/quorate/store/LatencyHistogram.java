package io.quorate.store;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A fixed log-bucket latency histogram (ADR 0015): bucket 0 holds {@code [0, 0.1 ms)}, buckets
 * 1..77 grow by a factor of 2^(1/4) from 0.1 ms to 62.1 s, the last holds everything above. The
 * bounds never change, so two histograms add bucket by bucket: a day is the exact sum of its
 * minutes. A percentile is the geometric middle of the bucket holding the nearest-rank value,
 * clamped to the exact maximum (and the maximum itself when the rank is the last): within {@link
 * #MAX_RELATIVE_ERROR} (9.1 %) of the true value from 0.1 ms to 62 s; below 0.1 ms it is 0.05 ms
 * (at most 0.05 ms off). Not thread-safe.
 */
public final class LatencyHistogram {
  /** Lower bound of the first log bucket, in microseconds. */
  static final long MIN_MICROS = 100;

  /** Log buckets per doubling. */
  static final int PER_OCTAVE = 4;

  /** Log buckets: enough to pass 60 s (0.1 ms · 2^(77/4) = 62.1 s). */
  static final int LOG_BUCKETS = 77;

  /** Every bucket: underflow, the log buckets, overflow. */
  public static final int BUCKETS = LOG_BUCKETS + 2;

  /** {@code BOUNDS[i]} is the lower bound (µs) of bucket {@code i + 1}. */
  static final long[] BOUNDS = new long[LOG_BUCKETS + 1];

  /** The largest relative error of a percentile between 0.1 ms and the last log bound. */
  public static final double MAX_RELATIVE_ERROR;

  private static final byte FORMAT = 1;

  static {
    double worst = 0;
    for (int i = 0; i <= LOG_BUCKETS; i++) {
      BOUNDS[i] = Math.round(MIN_MICROS * Math.pow(2, (double) i / PER_OCTAVE));
      if (i > 0) {
        worst = Math.max(worst, Math.sqrt((double) BOUNDS[i] / BOUNDS[i - 1]) - 1);
      }
    }
    MAX_RELATIVE_ERROR = worst;
  }

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long maxMicros = -1;

  /** Records one latency of {@code micros} (negative counts as 0). */
  public void record(long micros) {
    long v = Math.max(0, micros);
    counts[bucket(v)]++;
    total++;
    maxMicros = Math.max(maxMicros, v);
  }

  /** Adds every count of {@code other} (the maximum is the larger of both). */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    maxMicros = Math.max(maxMicros, other.maxMicros);
  }

  public long count() {
    return total;
  }

  /** The exact largest recorded value in µs, or {@code null} when empty. */
  public Long maxMicros() {
    return total == 0 ? null : maxMicros;
  }

  /** The nearest-rank {@code p}-quantile ({@code 0 < p <= 1}) in µs, or {@code null} when empty. */
  public Long percentile(double p) {
    if (total == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(p * total));
    if (rank >= total) {
      return maxMicros; // the largest value is known exactly
    }
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(estimate(i), maxMicros);
      }
    }
    return maxMicros;
  }

  static int bucket(long micros) {
    if (micros < BOUNDS[0]) {
      return 0;
    }
    int at = Arrays.binarySearch(BOUNDS, micros);
    int lowerIndex = at >= 0 ? at : -at - 2;
    return lowerIndex + 1;
  }

  private long estimate(int bucket) {
    if (bucket == 0) {
      return MIN_MICROS / 2;
    }
    if (bucket == BUCKETS - 1) {
      return maxMicros;
    }
    return Math.round(Math.sqrt((double) BOUNDS[bucket - 1] * BOUNDS[bucket]));
  }

  /**
   * The compact form stored with each rollup: a format byte, the maximum, then (bucket, count)
   * pairs of the non-empty buckets, all as unsigned LEB128 varints.
   */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16);
    out.write(FORMAT);
    varint(out, Math.max(0, maxMicros));
    for (int i = 0; i < BUCKETS; i++) {
      if (counts[i] > 0) {
        varint(out, i);
        varint(out, counts[i]);
      }
    }
    return out.toByteArray();
  }

  /** The histogram {@link #encode} wrote; a damaged blob is an {@code IllegalArgumentException}. */
  public static LatencyHistogram decode(byte[] blob) {
    if (blob == null || blob.length == 0 || blob[0] != FORMAT) {
      throw new IllegalArgumentException("not a latency histogram");
    }
    LatencyHistogram h = new LatencyHistogram();
    int[] pos = {1};
    long max = readVarint(blob, pos);
    while (pos[0] < blob.length) {
      long bucket = readVarint(blob, pos);
      long n = readVarint(blob, pos);
      if (bucket < 0 || bucket >= BUCKETS || n <= 0) {
        throw new IllegalArgumentException("bad histogram bucket " + bucket);
      }
      h.counts[(int) bucket] += n;
      h.total += n;
    }
    h.maxMicros = h.total == 0 ? -1 : max;
    return h;
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static long readVarint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= b.length) {
        throw new IllegalArgumentException("truncated histogram");
      }
      int x = b[pos[0]++];
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("bad varint in histogram");
  }
}
