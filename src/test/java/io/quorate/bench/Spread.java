package io.quorate.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Median, minimum and maximum of repeated measurements, and their "median [min – max]" text. */
record Spread(double median, double min, double max) {

  static <T> Spread of(List<T> samples, ToDoubleFunction<T> f) {
    return of(samples.stream().mapToDouble(f).toArray());
  }

  /**
   * The spread of {@code values}; all zero for none. Even counts take the mean of the middle two.
   */
  static Spread of(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    if (v.length == 0) {
      return new Spread(0, 0, 0);
    }
    int m = v.length / 2;
    double median = v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    return new Spread(median, v[0], v[v.length - 1]);
  }

  /** {@code fmt} is a {@link String#format} pattern for one number, e.g. "%.3f". */
  String text(String fmt) {
    return String.format(fmt + " [" + fmt + " – " + fmt + "]", median, min, max);
  }
}
