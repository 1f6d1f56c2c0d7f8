package io.quorate.bench;

import java.util.Locale;

/**
 * One probe kind of the side-by-side run: its blackbox_exporter module, its default probe count per
 * measured window, and the issue 8 goal for Quorate's CPU per probe as a fraction of
 * blackbox_exporter's (0 where the issue sets none).
 */
enum Kind {
  DNS(6_000, 1.0 / 8),
  HTTP(4_000, 1.0 / 5),
  HTTPS(800, 0),
  SMTP(3_000, 1.0 / 4),
  STARTTLS(600, 0),
  IMAP(600, 0),
  POP3(600, 0);

  final int defaultCount;
  final double goal;

  Kind(int defaultCount, double goal) {
    this.defaultCount = defaultCount;
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
