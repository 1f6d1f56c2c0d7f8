package io.quorate.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;

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
