package io.quorate.store;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeResult;
import io.quorate.quorum.Observation;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every non-UP observation of this agent, raw (ADR 0015): target, region, when the probe started,
 * outcome, error kind, detail (at most {@value #MAX_DETAIL} characters) and duration. {@link
 * #accept} only queues (bounded: at most {@code maxPending}, more are counted as dropped); {@link
 * #flush} writes the queue in one transaction. Thread-safe.
 */
public final class FailedObservations {
  static final int MAX_DETAIL = 500;

  /** One stored failing observation. */
  public record Row(
      long id,
      String target,
      String region,
      Instant at,
      Outcome outcome,
      ErrorKind errorKind,
      String detail,
      double durationMs) {}

  private static final String COLUMNS =
      "id, target, region, at, outcome, error_kind, detail, duration_ms";

  private final Database db;
  private final int maxPending;
  private List<Observation> pending = new ArrayList<>();
  private long dropped;

  public FailedObservations(Database db, int maxPending) {
    this.db = db;
    this.maxPending = maxPending;
  }

  /** Queues {@code o} when it is not UP. */
  public synchronized void accept(Observation o) {
    if (o.result().isUp()) {
      return;
    }
    if (pending.size() >= maxPending) {
      dropped++;
      return;
    }
    pending.add(o);
  }

  /** Observations not queued because {@code maxPending} were waiting. */
  public synchronized long dropped() {
    return dropped;
  }

  /** Writes every queued observation in one transaction; succeeds with the number written. */
  public Future<Integer> flush() {
    List<Observation> batch;
    synchronized (this) {
      if (pending.isEmpty()) {
        return Future.succeededFuture(0);
      }
      batch = pending;
      pending = new ArrayList<>();
    }
    return db.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO observations_failed (target, region, at, outcome, error_kind,"
                      + " detail, duration_ms) VALUES (?,?,?,?,?,?,?)")) {
            for (Observation o : batch) {
              ProbeResult r = o.result();
              p.setString(1, r.targetId());
              p.setString(2, o.region());
              p.setLong(3, r.startedAt().toEpochMilli());
              p.setString(4, r.outcome().name());
              p.setString(5, r.errorKind().name());
              p.setString(6, clip(r.detail()));
              p.setDouble(7, r.timings().totalMs());
              p.addBatch();
            }
            p.executeBatch();
          }
          return batch.size();
        });
  }

  /** {@code target}'s failing observations with {@code from <= at < to}, newest first. */
  public Future<List<Row>> between(String target, Instant from, Instant to, int limit) {
    return db.read(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM observations_failed WHERE target = ? AND at >= ? AND at < ?"
                      + " ORDER BY at DESC, id DESC LIMIT ?")) {
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

  /** Deletes rows with {@code at < cutoff}, in chunks; succeeds with the number deleted. */
  public Future<Integer> deleteBefore(Instant cutoff, int chunk) {
    return Chunks.deleteBefore(db, "observations_failed", cutoff, chunk);
  }

  /** Keeps the newest {@code maxRows} rows; succeeds with the number deleted. */
  public Future<Integer> cap(long maxRows, int chunk) {
    return Chunks.capById(db, "observations_failed", maxRows, chunk);
  }

  static String clip(String detail) {
    if (detail.length() <= MAX_DETAIL) {
      return detail;
    }
    // never split a surrogate pair
    int end =
        Character.isHighSurrogate(detail.charAt(MAX_DETAIL - 1)) ? MAX_DETAIL - 1 : MAX_DETAIL;
    return detail.substring(0, end);
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        Instant.ofEpochMilli(rs.getLong(4)),
        Outcome.valueOf(rs.getString(5)),
        ErrorKind.valueOf(rs.getString(6)),
        rs.getString(7),
        rs.getDouble(8));
  }
}
