package io.quorate.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log's rows in the store (ADR 0015): {@link #write} queues one insert on the store's
 * thread and returns at once (at most {@value #MAX_IN_FLIGHT} writes wait; more are dropped and
 * counted), so {@link AuditLog#add} never waits for the disk.
 */
public final class AuditStore {
  private static final Logger LOG = LoggerFactory.getLogger(AuditStore.class);

  static final int MAX_IN_FLIGHT = 10_000;
  private static final String COLUMNS = "id, at, pool, action, outcome, actor, reasons, details";

  private final Database db;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();

  public AuditStore(Database db) {
    this.db = db;
  }

  /** Stores {@code e} in the background; a failure is logged once per entry. */
  public void write(AuditLog.Entry e) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      long n = dropped.incrementAndGet();
      LOG.warn("audit write-dropped id={} dropped={}", e.id(), n);
      return;
    }
    db.transaction(
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "INSERT OR REPLACE INTO audit_log ("
                          + COLUMNS
                          + ") VALUES (?,?,?,?,?,?,?,?)")) {
                p.setLong(1, e.id());
                p.setLong(2, e.at().toEpochMilli());
                p.setString(3, e.pool());
                p.setString(4, e.action());
                p.setString(5, e.outcome());
                p.setString(6, e.actor());
                p.setString(7, new JsonArray(new ArrayList<>(e.reasons())).encode());
                p.setString(8, new JsonObject(new LinkedHashMap<>(e.details())).encode());
                return p.executeUpdate();
              }
            })
        .onComplete(
            r -> {
              inFlight.decrementAndGet();
              if (r.failed()) {
                LOG.warn("audit write-failed id={} error=\"{}\"", e.id(), r.cause().getMessage());
              }
            });
  }

  /** Writes still waiting for the store. */
  public int pending() {
    return inFlight.get();
  }

  /** The largest stored id, 0 when none. */
  public Future<Long> maxId() {
    return db.read(
        c -> {
          try (PreparedStatement p =
                  c.prepareStatement("SELECT ifnull(max(id), 0) FROM audit_log");
              ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /**
   * Entries with {@code from <= at < to}, of {@code pool} when not null, newest first, at most
   * {@code limit}.
   */
  public Future<List<AuditLog.Entry>> between(String pool, Instant from, Instant to, int limit) {
    String where = pool == null ? "" : " AND pool = ?";
    return db.read(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM audit_log WHERE at >= ? AND at < ?"
                      + where
                      + " ORDER BY id DESC LIMIT ?")) {
            int i = 1;
            p.setLong(i++, from.toEpochMilli());
            p.setLong(i++, to.toEpochMilli());
            if (pool != null) {
              p.setString(i++, pool);
            }
            p.setInt(i, limit);
            List<AuditLog.Entry> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next()) {
                out.add(entry(rs));
              }
            }
            return out;
          }
        });
  }

  /** Deletes entries with {@code at < cutoff}, in chunks; succeeds with the number deleted. */
  public Future<Integer> deleteBefore(Instant cutoff, int chunk) {
    return Chunks.deleteBefore(db, "audit_log", cutoff, chunk);
  }

  /** Keeps the newest {@code maxRows} entries; succeeds with the number deleted. */
  public Future<Integer> cap(long maxRows, int chunk) {
    return Chunks.capById(db, "audit_log", maxRows, chunk);
  }

  private static AuditLog.Entry entry(ResultSet rs) throws SQLException {
    List<String> reasons = new ArrayList<>();
    new JsonArray(rs.getString(7)).forEach(r -> reasons.add(String.valueOf(r)));
    Map<String, String> details = new LinkedHashMap<>();
    new JsonObject(rs.getString(8))
        .forEach(d -> details.put(d.getKey(), String.valueOf(d.getValue())));
    return new AuditLog.Entry(
        rs.getLong(1),
        Instant.ofEpochMilli(rs.getLong(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        reasons,
        details);
  }
}
