package io.quorate.config;

import java.util.Set;

/** Reads a region file's {@code store:} block (retention, ADR 0015); absent keys get defaults. */
final class StoreReader {
  static final Set<String> KEYS =
      Set.of("rawDays", "minuteDays", "dailyDays", "historyDays", "auditDays", "maxRows");

  /** Ten years: a longer retention is almost certainly a unit mistake. */
  static final long MAX_DAYS = 3_650;

  static final long MIN_ROWS = 1_000;
  static final long MAX_ROWS = 1_000_000_000;

  private StoreReader() {}

  /** The block's retention; {@code null} after reporting errors. */
  static RegionConfig.Store read(YamlNode node) {
    if (!node.present()) {
      return RegionConfig.Store.DEFAULT;
    }
    if (!node.mapping(KEYS)) {
      return null;
    }
    Long raw = days(node.get("rawDays"), RegionConfig.Store.DEFAULT_RAW_DAYS);
    Long minute = days(node.get("minuteDays"), RegionConfig.Store.DEFAULT_MINUTE_DAYS);
    Long daily = days(node.get("dailyDays"), RegionConfig.Store.DEFAULT_DAILY_DAYS);
    Long history = days(node.get("historyDays"), RegionConfig.Store.DEFAULT_HISTORY_DAYS);
    Long audit = days(node.get("auditDays"), RegionConfig.Store.DEFAULT_AUDIT_DAYS);
    Long rows =
        node.get("maxRows").integer(MIN_ROWS, MAX_ROWS, RegionConfig.Store.DEFAULT_MAX_ROWS);
    if (raw == null || minute == null || daily == null || history == null || audit == null) {
      return null;
    }
    if (daily < minute) {
      node.get("dailyDays").error("must be at least minuteDays (" + minute + ")");
      return null;
    }
    if (rows == null) {
      return null;
    }
    return new RegionConfig.Store(
        raw.intValue(),
        minute.intValue(),
        daily.intValue(),
        history.intValue(),
        audit.intValue(),
        rows);
  }

  private static Long days(YamlNode node, long dflt) {
    return node.integer(1, MAX_DAYS, dflt);
  }
}
