package io.quorate.store;

import io.quorate.store.StoreException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Opening {@code quorate.db} safely: checks before any write (SQLite header, integrity, owner,
 * schema version), then connection settings, then the forward-only migrations. Runs on the store's
 * thread only.
 */
final class Schema {
  /** {@code PRAGMA application_id} of a Quorate store ("QRAT"). */
  static final int APPLICATION_ID = 0x51524154;

  static final int BUSY_TIMEOUT_MS = 5_000;

  /** The WAL file is truncated to this after a checkpoint, so it cannot grow without bound. */
  static final long JOURNAL_SIZE_LIMIT = 4L * 1024 * 1024;

  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  record Opened(Connection connection, int version, int migrated) {}

  private Schema() {}

  static Opened openChecked(Path file, List<Migration> migrations) throws Exception {
    checkMigrations(migrations);
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    checkHeader(file);
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
    Connection c = cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try {
      int latest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
      int version = checkContent(c, file, latest);
      configure(c);
      int migrated = 0;
      for (Migration m : migrations) {
        if (m.version() > version) {
          apply(file, c, m);
          migrated++;
        }
      }
      return new Opened(c, latest, migrated);
    } catch (SQLException e) {
      c.close();
      throw corrupt(file, e);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static void checkMigrations(List<Migration> migrations) {
    for (int i = 0; i < migrations.size(); i++) {
      if (migrations.get(i).version() != i + 1) {
        throw new IllegalArgumentException("migrations must be numbered 1..N without gaps");
      }
    }
  }

  /**
   * A non-empty file must start with the SQLite magic; garbage is refused before SQLite opens it.
   */
  private static void checkHeader(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return;
    }
    byte[] head = new byte[MAGIC.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n < MAGIC.length || !Arrays.equals(head, MAGIC)) {
      throw new StoreException(
          Kind.CORRUPT,
          "store " + file + " is not a SQLite database (bad header); refusing to start");
    }
  }

  /** Integrity, owner and version; returns the file's schema version (0 for a new file). */
  private static int checkContent(Connection c, Path file, int latest) throws SQLException {
    String check = single(c, "PRAGMA quick_check");
    if (!"ok".equals(check)) {
      throw new StoreException(
          Kind.CORRUPT, "store " + file + " fails its integrity check: " + check);
    }
    int appId = Integer.parseInt(single(c, "PRAGMA application_id"));
    if (appId != 0 && appId != APPLICATION_ID) {
      throw new StoreException(
          Kind.FOREIGN,
          "store " + file + " belongs to another application (application_id " + appId + ")");
    }
    boolean hasVersions =
        single(
                c,
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                    + " AND name = 'schema_version'")
            .equals("1");
    int version =
        hasVersions
            ? Integer.parseInt(single(c, "SELECT ifnull(max(version), 0) FROM schema_version"))
            : 0;
    if (version > latest) {
      throw new StoreException(
          Kind.NEWER_SCHEMA,
          "store "
              + file
              + " has schema version "
              + version
              + " but this build knows up to "
              + latest
              + " (written by a newer Quorate?); refusing to start");
    }
    return version;
  }

  private static void configure(Connection c) throws SQLException {
    String mode = single(c, "PRAGMA journal_mode = WAL");
    if (!"wal".equalsIgnoreCase(mode)) {
      throw new SQLException("cannot switch to WAL journal mode (got " + mode + ")");
    }
    pragma(c, "synchronous", "NORMAL");
    pragma(c, "foreign_keys", "ON");
    pragma(c, "journal_size_limit", Long.toString(JOURNAL_SIZE_LIMIT));
  }

  private static void apply(Path file, Connection c, Migration m) {
    try {
      applyOrThrow(c, m);
    } catch (SQLException e) {
      throw new StoreException(
          Kind.IO,
          "store "
              + file
              + ": migration "
              + m.version()
              + " ("
              + m.description()
              + ") failed: "
              + e.getMessage(),
          e);
    }
  }

  private static void applyOrThrow(Connection c, Migration m) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
              + " description TEXT NOT NULL, applied_at TEXT NOT NULL)");
      for (String sql : m.statements()) {
        s.executeUpdate(sql);
      }
      try (PreparedStatement p =
          c.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
        p.setInt(1, m.version());
        p.setString(2, m.description());
        p.setString(3, Instant.now().toString());
        p.executeUpdate();
      }
      s.executeUpdate("PRAGMA application_id = " + APPLICATION_ID);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  static void pragma(Connection c, String name, String value) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA " + name + " = " + value);
    }
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static StoreException corrupt(Path file, SQLException e) {
    return new StoreException(
        Kind.CORRUPT,
        "store " + file + " cannot be opened (" + e.getMessage() + "); refusing to start",
        e);
  }
}
