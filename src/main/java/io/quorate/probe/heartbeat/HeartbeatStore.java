package io.quorate.probe.heartbeat;

import io.quorate.store.Database;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest ping per heartbeat target in the store (migration 5), so that a restart or a rolling
 * upgrade does not turn a daily job's last good ping into "missed" in every region.
 *
 * <p>Writes are coalesced: at most one transaction is in flight, and pings that arrive meanwhile
 * are written together after it (newest per target), so a client pinging in a loop costs at most
 * one small transaction at a time. Thread-safe: the API and the mesh save from their own event
 * loops. The table keeps the newest ping per target even if writes arrive out of order.
 */
public final class HeartbeatStore {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatStore.class);

  private final Database db;
  private final Map<String, HeartbeatBook.Ping> pending = new LinkedHashMap<>();
  private final List<io.vertx.core.Promise<Void>> waiting = new java.util.ArrayList<>();
  private boolean writing;

  public HeartbeatStore(Database db) {
    this.db = db;
  }

  /**
   * The stored pings of {@code targets}; rows of other ids (targets removed from the config) are
   * deleted.
   */
  public Future<Map<String, HeartbeatBook.Ping>> load(Set<String> targets) {
    return db.transaction(
        c -> {
          Map<String, HeartbeatBook.Ping> out = new HashMap<>();
          List<String> stale = new java.util.ArrayList<>();
          try (PreparedStatement p =
                  c.prepareStatement("SELECT target, at, ok, msg FROM heartbeat_pings");
              ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              String target = rs.getString(1);
              if (!targets.contains(target)) {
                stale.add(target);
                continue;
              }
              out.put(target, ping(rs));
            }
          }
          try (PreparedStatement d =
              c.prepareStatement("DELETE FROM heartbeat_pings WHERE target = ?")) {
            for (String target : stale) {
              d.setString(1, target);
              d.executeUpdate();
            }
          }
          return out;
        });
  }

  private static HeartbeatBook.Ping ping(ResultSet rs) throws java.sql.SQLException {
    String msg = rs.getString(4);
    if (msg.length() > HeartbeatBook.MAX_MSG) {
      msg = msg.substring(0, HeartbeatBook.MAX_MSG);
    }
    return new HeartbeatBook.Ping(Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3) != 0, msg);
  }

  /** Queues {@code ping} to be written (newer than what is queued for the target, or dropped). */
  public synchronized void save(String target, HeartbeatBook.Ping ping) {
    pending.merge(target, ping, (old, neu) -> neu.at().isAfter(old.at()) ? neu : old);
    if (!writing) {
      writeNext();
    }
  }

  /** Completes when every ping queued so far is written (or failed and was logged). */
  public synchronized Future<Void> idle() {
    if (!writing) {
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    waiting.add(p);
    return p.future();
  }

  private synchronized void writeNext() {
    if (pending.isEmpty()) {
      writing = false;
      waiting.forEach(io.vertx.core.Promise::tryComplete);
      waiting.clear();
      return;
    }
    writing = true;
    Map<String, HeartbeatBook.Ping> batch = new LinkedHashMap<>(pending);
    pending.clear();
    db.<Void>transaction(c -> upsert(c, batch))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn(
                    "heartbeat store-failed pings={} error=\"{}\"",
                    batch.size(),
                    ar.cause().getMessage());
              }
              writeNext();
            });
  }

  private static Void upsert(java.sql.Connection c, Map<String, HeartbeatBook.Ping> batch)
      throws java.sql.SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO heartbeat_pings (target, at, ok, msg) VALUES (?,?,?,?)"
                + " ON CONFLICT(target) DO UPDATE SET at = excluded.at, ok = excluded.ok,"
                + " msg = excluded.msg WHERE excluded.at > heartbeat_pings.at")) {
      for (Map.Entry<String, HeartbeatBook.Ping> e : batch.entrySet()) {
        p.setString(1, e.getKey());
        p.setLong(2, e.getValue().at().toEpochMilli());
        p.setInt(3, e.getValue().ok() ? 1 : 0);
        p.setString(4, e.getValue().msg());
        p.executeUpdate();
      }
    }
    return null;
  }
}
