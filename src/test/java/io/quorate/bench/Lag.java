package io.quorate.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Schedule lag over a window from two /metrics texts (quorate_scheduler_lag histogram deltas). */
final class Lag {
  private static final String BUCKET = "quorate_scheduler_lag_seconds_bucket{";

  private Lag() {}

  /** E.g. "p99 <= 0.010 s; 99.8 % <= 50 ms; 100 % <= 500 ms; max 0.021 s (n=300000)". */
  static String describe(String before, String after) {
    Map<String, Double> a = buckets(before);
    Map<String, Double> b = buckets(after);
    double total = b.getOrDefault("+Inf", 0.0) - a.getOrDefault("+Inf", 0.0);
    String p99 = "?";
    StringBuilder shares = new StringBuilder();
    for (Map.Entry<String, Double> e : b.entrySet()) {
      double under = e.getValue() - a.getOrDefault(e.getKey(), 0.0);
      if (p99.equals("?") && under >= 0.99 * total) {
        p99 = e.getKey();
      }
      if (e.getKey().equals("0.05") || e.getKey().equals("0.01")) {
        shares.append(String.format("%.2f %% <= %s s; ", 100 * under / total, e.getKey()));
      }
    }
    double max = ScaleRun.sum(after, "quorate_scheduler_lag_seconds_max{");
    return String.format(
        "p99 <= %s s; %smax (last minutes) %.3f s (n=%.0f)", p99, shares, max, total);
  }

  private static Map<String, Double> buckets(String metrics) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith(BUCKET)) {
        int i = line.indexOf("le=\"") + 4;
        String le = line.substring(i, line.indexOf('"', i));
        m.put(le, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return m;
  }
}
