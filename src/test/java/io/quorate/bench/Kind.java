package io.quorate.bench;

import java.util.Locale;

/**
 * One probe kind of the side-by-side run: its blackbox_exporter module, its default probe count per
 * measured window, and the issue 8 goal for Quorate's CPU per probe as a fraction of
 * blackbox_exporter's (0 where the issue sets none).
 */
enum Kind {
  DNS(6_000, 30_000, 1.0 / 8),
  HTTP(4_000, 20_000, 1.0 / 5),
  HTTPS(800, 2_000, 0),
  SMTP(3_000, 15_000, 1.0 / 4),
  STARTTLS(600, 2_000, 0),
  IMAP(600, 600, 0),
  POP3(600, 600, 0);

  final int defaultCount;

  /**
   * Probes Quorate runs before its measured window: enough for the JIT to reach steady state (an
   * agent runs for weeks; with a few thousand probes the compiler threads are 40-50 % of the CPU
   * measured, see "probe CPU work (B2)" in docs/benchmarks.md). Dovecot's per-connection login
   * process limits IMAP/POP3 to ~160/s, so those stay short.
   */
  final int warmUp;

  final double goal;

  Kind(int defaultCount, int warmUp, double goal) {
    this.defaultCount = defaultCount;
    this.warmUp = warmUp;
    this.goal = goal;
  }

  /** Name on the command line, in the table and as the exporter module. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Kind parse(String id) {
    for (Kind k : values()) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown probe kind: " + id);
  }

  /** "≤ 1/8", or "—" when the issue sets no goal. */
  String goalText() {
    return goal == 0 ? "—" : "≤ 1/" + Math.round(1 / goal);
  }
}
