package io.quorate.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/** Large deletes in bounded transactions, so other store work is not held up behind them. */
final class Chunks {
  /** Transactions one delete may take at most (with chunks of 50,000: 500 million rows). */
  static final int MAX_ROUNDS = 10_000;

  private Chunks() {}

  /**
   * Runs {@code sql} (two parameters: a cutoff and a chunk size, deleting at most that many rows)
   * until it deletes fewer than {@code chunk} rows; succeeds with the total deleted.
   */
  static Future<Integer> deleteAll(Database db, String sql, long cutoff, int chunk) {
    return round(db, sql, cutoff, chunk, 0, 0);
  }

  /**
   * Deletes the rows of {@code table} (an {@code id} primary key and an {@code at} column in epoch
   * ms) with {@code at < cutoff}, in chunks; succeeds with the number deleted. {@code table} is a
   * constant of this package, never input.
   */
  static Future<Integer> deleteBefore(Database db, String table, Instant cutoff, int chunk) {
    return deleteAll(
        db,
        "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE at < ? LIMIT ?)",
        cutoff.toEpochMilli(),
        chunk);
  }

  /**
   * Keeps the newest {@code maxRows} rows of {@code table} by id; succeeds with the number deleted.
   */
  static Future<Integer> capById(Database db, String table, long maxRows, int chunk) {
    return db.read(
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT id FROM " + table + " ORDER BY id DESC LIMIT 1 OFFSET ?")) {
                p.setLong(1, maxRows - 1);
                try (ResultSet rs = p.executeQuery()) {
                  return rs.next() ? rs.getLong(1) : null;
                }
              }
            })
        .compose(
            oldestKept ->
                oldestKept == null
                    ? Future.succeededFuture(0)
                    : deleteAll(
                        db,
                        "DELETE FROM "
                            + table
                            + " WHERE id IN (SELECT id FROM "
                            + table
                            + " WHERE id < ? LIMIT ?)",
                        oldestKept,
                        chunk));
  }

  private static Future<Integer> round(
      Database db, String sql, long cutoff, int chunk, int total, int rounds) {
    return db.transaction(
            c -> {
              try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setLong(1, cutoff);
                p.setInt(2, chunk);
                return p.executeUpdate();
              }
            })
        .compose(
            n ->
                n < chunk || rounds + 1 >= MAX_ROUNDS
                    ? Future.succeededFuture(total + n)
                    : round(db, sql, cutoff, chunk, total + n, rounds + 1));
  }
}
