package io.quorate.maintenance;

import io.quorate.mesh.MeshCodec;
import io.quorate.mesh.MeshMessage;
import io.quorate.mesh.MeshRejection;
import io.quorate.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance windows created through the API, in the store (migration 3): one row per id holding
 * the newest copy in its shared JSON form, tombstones included, so a restart keeps them.
 */
public final class WindowStore {
  private static final Logger LOG = LoggerFactory.getLogger(WindowStore.class);

  /** Rows read at most at start (the service keeps far fewer). */
  static final int MAX_ROWS = 20_000;

  private final Database db;

  public WindowStore(Database db) {
    this.db = db;
  }

  /** Every stored window (tombstones too); an unreadable row is logged and skipped. */
  public Future<List<MeshMessage.Window>> load() {
    return db.read(
        c -> {
          List<MeshMessage.Window> out = new ArrayList<>();
          try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT id, body FROM maintenance_windows ORDER BY id LIMIT " + MAX_ROWS);
              ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              try {
                out.add(MeshCodec.window(new JsonObject(rs.getString(2)), "row"));
              } catch (MeshRejection | RuntimeException e) {
                LOG.warn("maintenance unreadable-row id={} error=\"{}\"", rs.getString(1), e);
              }
            }
          }
          return out;
        });
  }

  /** Stores {@code w}, replacing the row of its id. */
  public Future<Void> save(MeshMessage.Window w) {
    String body = MeshCodec.window(w).encode();
    return db.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO maintenance_windows (id, updated_at, deleted, body)"
                      + " VALUES (?,?,?,?)")) {
            p.setString(1, w.id());
            p.setLong(2, w.updatedAt().toEpochMilli());
            p.setInt(3, w.deleted() ? 1 : 0);
            p.setString(4, body);
            p.executeUpdate();
          }
          return null;
        });
  }

  /** Deletes the rows of {@code ids} (windows that ended long ago). */
  public Future<Integer> purge(List<String> ids, Instant now) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return db.transaction(
        c -> {
          int n = 0;
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM maintenance_windows WHERE id = ?")) {
            for (String id : ids) {
              p.setString(1, id);
              n += p.executeUpdate();
            }
          }
          LOG.info("maintenance purged windows={} at={}", n, now);
          return n;
        });
  }
}
