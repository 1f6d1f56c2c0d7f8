package io.quorate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Arguments of {@link SideBySide}: {@code [--quick] [--runs R] [--concurrency C] [--scale F]
 * [--kinds dns,http,...] [--out FILE]}. Counts per kind are {@link Kind#defaultCount} times the
 * scale; {@code --quick} is 2 runs at scale 0.25 (a smoke run of about two minutes).
 */
record SideArgs(int runs, int concurrency, double scale, List<Kind> kinds, Path out) {
  static final int MAX_RUNS = 50;
  static final int MAX_CONCURRENCY = 1_000;
  static final double MAX_SCALE = 20;

  SideArgs {
    if (runs < 1 || runs > MAX_RUNS) {
      throw new IllegalArgumentException("--runs must be 1.." + MAX_RUNS + ": " + runs);
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "--concurrency must be 1.." + MAX_CONCURRENCY + ": " + concurrency);
    }
    if (!(scale > 0 && scale <= MAX_SCALE)) {
      throw new IllegalArgumentException("--scale must be in (0, " + MAX_SCALE + "]: " + scale);
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("--kinds names no kind");
    }
    kinds = List.copyOf(kinds);
  }

  static SideArgs parse(List<String> args) {
    int runs = 5;
    int concurrency = 32;
    double scale = 1;
    List<Kind> kinds = Arrays.asList(Kind.values());
    Path out = Path.of("target/side-by-side.md");
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--quick")) {
        runs = 2;
        scale = 0.25;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("unknown or incomplete argument: " + a);
      }
      String v = args.get(++i);
      switch (a) {
        case "--runs" -> runs = Integer.parseInt(v);
        case "--concurrency" -> concurrency = Integer.parseInt(v);
        case "--scale" -> scale = Double.parseDouble(v);
        case "--kinds" -> kinds = kinds(v);
        case "--out" -> out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown argument: " + a);
      }
    }
    return new SideArgs(runs, concurrency, scale, kinds, out);
  }

  private static List<Kind> kinds(String csv) {
    List<Kind> k = new ArrayList<>();
    for (String s : csv.split(",")) {
      k.add(Kind.parse(s.trim()));
    }
    return k;
  }

  /** Measured probes per window for {@code k}; at least 50. */
  int count(Kind k) {
    return Math.max(50, (int) Math.round(k.defaultCount * scale));
  }

  /**
   * Quorate's warm-up inside the child: the kind's steady-state warm-up whatever the scale (a
   * smaller one leaves the JIT cold and doubles the CPU per probe), or half the window if larger.
   */
  int quorateWarmUp(Kind k) {
    return Math.max(k.warmUp, count(k) / 2);
  }

  /** The exporter's warm-up: a tenth of the window, at least 20 probes. */
  int exporterWarmUp(Kind k) {
    return Math.max(20, count(k) / 10);
  }
}
