package io.quorate.store;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-minute and daily rollups of this agent's observations (ADR 0015). A closed minute is written
 * in one transaction (one batched insert for every target); a UTC day is summed from its minute
 * rows by {@link #compactDays} once it has ended, so a day's counts and histogram are exactly the
 * sums of its minutes. Rows are keyed (target, start): a minute row written again is added to (the
 * open minute flushed at a graceful stop and its remainder after the restart are one minute; ADR
 * 0016); a day row written again replaces it.
 */
public final class Rollups {
  /** Minute or day rows. */
  public enum Step {
    MINUTE("rollup_minute", "minute", Duration.ofMinutes(1)),
    DAY("rollup_daily", "day", Duration.ofDays(1));

    final String table;
    final String column;
    final Duration length;

    Step(String table, String column, Duration length) {
      this.table = table;
      this.column = column;
      this.length = length;
    }

    public Duration length() {
      return length;
    }
  }

  /**
   * One stored rollup row.
   *
   * @param start the minute's or the day's start
   * @param p50Micros nearest-rank median latency of UP and DEGRADED observations, null when none
   */
  public record Row(
      String target,
      Instant start,
      int up,
      int down,
      int degraded,
      Long p50Micros,
      Long p95Micros,
      Long maxMicros) {}

  /** Days summed in one {@link #compactDays} call at most (the minute retention bounds it too). */
  static final int MAX_DAYS_PER_COMPACTION = 800;

  private static final String COLUMNS = "up, down, degraded, p50_us, p95_us, max_us, hist";
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  private final Database db;

  public Rollups(Database db) {
    this.db = db;
  }

  /** Writes one closed minute, every target in one transaction; succeeds with the row count. */
  public Future<Integer> flush(MinuteAccumulator.Minute minute) {
    return db.transaction(
        c -> {
          Map<String, MinuteAccumulator.Cell> before = written(c, minute.start());
          try (PreparedStatement p = insert(c, Step.MINUTE)) {
            for (MinuteAccumulator.Cell cell : minute.cells()) {
              MinuteAccumulator.Cell sum = plus(cell, before.get(cell.target()));
              bind(
                  p,
                  sum.target(),
                  minute.start(),
                  sum.up(),
                  sum.down(),
                  sum.degraded(),
                  sum.latency());
              p.addBatch();
            }
            p.executeBatch();
          }
          return minute.cells().size();
        });
  }

  /** {@code target}'s rows with {@code from <= start < to}, oldest first, at most {@code limit}. */
  public Future<List<Row>> rows(Step step, String target, Instant from, Instant to, int limit) {
    String sql =
        "SELECT target, "
            + step.column
            + ", up, down, degraded, p50_us, p95_us, max_us FROM "
            + step.table
            + " WHERE target = ? AND "
            + step.column
            + " >= ? AND "
            + step.column
            + " < ? ORDER BY "
            + step.column
            + " LIMIT ?";
    return db.read(
        c -> {
          try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, target);
            p.setLong(2, from.toEpochMilli());
            p.setLong(3, to.toEpochMilli());
            p.setInt(4, limit);
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                out.add(row(rs));
              }
            }
            return out;
          }
        });
  }

  /**
   * Sums every ended UTC day not yet summed (from the day after the newest day marked done, or the
   * oldest minute's day) up to the day before {@code now}. Each day is summed in transactions of at
   * most {@link #TARGETS_PER_TRANSACTION} targets, so other store work (alert raises, history) runs
   * in between even at 10,000 targets; the last one marks the day done, and a day interrupted by a
   * crash is summed again (rows are replaced). Succeeds with the number of days summed.
   */
  public Future<Integer> compactDays(Instant now) {
    long today = Math.floorDiv(now.toEpochMilli(), DAY_MS) * DAY_MS;
    return db.read(Rollups::firstOpenDay)
        .compose(
            first -> {
              if (first == null) {
                return Future.succeededFuture(0);
              }
              long start = Math.max(first, today - MAX_DAYS_PER_COMPACTION * DAY_MS);
              return sumDays(start, today, 0);
            });
  }

  /** Targets summed per transaction by {@link #compactDays}. */
  static final int TARGETS_PER_TRANSACTION = 500;

  private Future<Integer> sumDays(long day, long today, int done) {
    if (day >= today) {
      return Future.succeededFuture(done);
    }
    return sumDayFrom(day, "").compose(v -> sumDays(day + DAY_MS, today, done + 1));
  }

  /** Sums {@code day} for the targets after {@code after}, a chunk per transaction. */
  private Future<Void> sumDayFrom(long day, String after) {
    return db.transaction(c -> sumDayChunk(c, day, after, TARGETS_PER_TRANSACTION))
        .compose(last -> last == null ? Future.succeededFuture() : sumDayFrom(day, last));
  }

  private static Long firstOpenDay(Connection c) throws SQLException {
    Long newestDone = single(c, "SELECT max(day) FROM rollup_days_done");
    if (newestDone != null) {
      return newestDone + DAY_MS;
    }
    Long oldestMinute = single(c, "SELECT min(minute) FROM rollup_minute");
    return oldestMinute == null ? null : Math.floorDiv(oldestMinute, DAY_MS) * DAY_MS;
  }

  /**
   * One chunk of a day's rows from its minute rows: the next {@code limit} targets after {@code
   * after} (in id order). Returns the last target summed, or {@code null} after marking the day
   * done when no targets remain.
   */
  static String sumDayChunk(Connection c, long day, String after, int limit) throws SQLException {
    List<String> targets = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT DISTINCT target FROM rollup_minute WHERE target > ? AND minute >= ?"
                + " AND minute < ? ORDER BY target LIMIT ?")) {
      p.setString(1, after);
      p.setLong(2, day);
      p.setLong(3, day + DAY_MS);
      p.setInt(4, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          targets.add(rs.getString(1));
        }
      }
    }
    if (!targets.isEmpty()) {
      sumTargets(c, day, targets.get(0), targets.get(targets.size() - 1));
    }
    if (targets.size() < limit) {
      try (PreparedStatement p =
          c.prepareStatement("INSERT OR REPLACE INTO rollup_days_done (day) VALUES (?)")) {
        p.setLong(1, day);
        p.executeUpdate();
      }
      return null;
    }
    return targets.get(targets.size() - 1);
  }

  /** Writes the daily rows of the targets {@code first..last} (inclusive) for {@code day}. */
  private static void sumTargets(Connection c, long day, String first, String last)
      throws SQLException {
    record Sum(int[] counts, LatencyHistogram latency) {}
    Map<String, Sum> sums = new HashMap<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT target, up, down, degraded, hist FROM rollup_minute"
                + " WHERE target >= ? AND target <= ? AND minute >= ? AND minute < ?")) {
      p.setString(1, first);
      p.setString(2, last);
      p.setLong(3, day);
      p.setLong(4, day + DAY_MS);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          Sum s =
              sums.computeIfAbsent(
                  rs.getString(1), t -> new Sum(new int[3], new LatencyHistogram()));
          s.counts[0] += rs.getInt(2);
          s.counts[1] += rs.getInt(3);
          s.counts[2] += rs.getInt(4);
          s.latency.add(LatencyHistogram.decode(rs.getBytes(5)));
        }
      }
    }
    try (PreparedStatement p = insert(c, Step.DAY)) {
      Instant start = Instant.ofEpochMilli(day);
      for (Map.Entry<String, Sum> e : sums.entrySet()) {
        int[] n = e.getValue().counts();
        bind(p, e.getKey(), start, n[0], n[1], n[2], e.getValue().latency());
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  /**
   * Deletes {@code step} rows starting before {@code cutoff}, in transactions of at most {@code
   * chunk} rows so other store work runs in between; succeeds with the number deleted.
   */
  public Future<Integer> deleteBefore(Step step, Instant cutoff, int chunk) {
    String sql =
        "DELETE FROM "
            + step.table
            + " WHERE rowid IN (SELECT rowid FROM "
            + step.table
            + " WHERE "
            + step.column
            + " < ? LIMIT ?)";
    return Chunks.deleteAll(db, sql, cutoff.toEpochMilli(), chunk);
  }

  /**
   * Keeps at most {@code maxRows} {@code step} rows: deletes whole minutes (or days) from the
   * oldest until at most that many remain. Succeeds with the number deleted.
   */
  public Future<Integer> cap(Step step, long maxRows, int chunk) {
    String sql =
        "SELECT "
            + step.column
            + " FROM "
            + step.table
            + " ORDER BY "
            + step.column
            + " DESC LIMIT 1 OFFSET ?";
    return db.read(
            c -> {
              try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setLong(1, maxRows);
                try (ResultSet rs = p.executeQuery()) {
                  return rs.next() ? rs.getLong(1) : null;
                }
              }
            })
        .compose(
            over ->
                over == null
                    ? Future.succeededFuture(0)
                    : deleteBefore(step, Instant.ofEpochMilli(over + 1), chunk));
  }

  /** The rows already written for {@code minute} (normally none: one indexed lookup). */
  private static Map<String, MinuteAccumulator.Cell> written(Connection c, Instant minute)
      throws SQLException {
    Map<String, MinuteAccumulator.Cell> out = new HashMap<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT target, up, down, degraded, hist FROM rollup_minute WHERE minute = ?")) {
      p.setLong(1, minute.toEpochMilli());
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String target = rs.getString(1);
          out.put(
              target,
              new MinuteAccumulator.Cell(
                  target,
                  minute,
                  rs.getInt(2),
                  rs.getInt(3),
                  rs.getInt(4),
                  LatencyHistogram.decode(rs.getBytes(5))));
        }
      }
    }
    return out;
  }

  private static MinuteAccumulator.Cell plus(
      MinuteAccumulator.Cell cell, MinuteAccumulator.Cell earlier) {
    if (earlier == null) {
      return cell;
    }
    LatencyHistogram h = new LatencyHistogram();
    h.add(cell.latency());
    h.add(earlier.latency());
    return new MinuteAccumulator.Cell(
        cell.target(),
        cell.minute(),
        cell.up() + earlier.up(),
        cell.down() + earlier.down(),
        cell.degraded() + earlier.degraded(),
        h);
  }

  private static PreparedStatement insert(Connection c, Step step) throws SQLException {
    return c.prepareStatement(
        "INSERT OR REPLACE INTO "
            + step.table
            + " (target, "
            + step.column
            + ", "
            + COLUMNS
            + ") VALUES (?,?,?,?,?,?,?,?,?)");
  }

  private static void bind(
      PreparedStatement p,
      String target,
      Instant start,
      int up,
      int down,
      int degraded,
      LatencyHistogram h)
      throws SQLException {
    p.setString(1, target);
    p.setLong(2, start.toEpochMilli());
    p.setInt(3, up);
    p.setInt(4, down);
    p.setInt(5, degraded);
    nullableLong(p, 6, h.percentile(0.50));
    nullableLong(p, 7, h.percentile(0.95));
    nullableLong(p, 8, h.maxMicros());
    p.setBytes(9, h.encode());
  }

  private static void nullableLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.INTEGER);
    } else {
      p.setLong(i, v);
    }
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getString(1),
        Instant.ofEpochMilli(rs.getLong(2)),
        rs.getInt(3),
        rs.getInt(4),
        rs.getInt(5),
        longOrNull(rs, 6),
        longOrNull(rs, 7),
        longOrNull(rs, 8));
  }

  private static Long longOrNull(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static Long single(Connection c, String sql) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql);
        ResultSet rs = p.executeQuery()) {
      return rs.next() ? longOrNull(rs, 1) : null;
    }
  }
}
