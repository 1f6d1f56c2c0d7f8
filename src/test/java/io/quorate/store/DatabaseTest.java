package io.quorate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store: migrations, connection settings, its thread, and refusing bad files. */
class DatabaseTest {
  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void migratesAnEmptyDirectoryAndConfiguresTheConnection() throws Exception {
    Database db = await(Database.open(vertx, dir.resolve("data")));
    assertEquals(Migrations.ALL.size(), db.schemaVersion());
    assertEquals(dir.resolve("data/quorate.db"), db.file());
    List<String> seen =
        await(
            db.read(
                c ->
                    List.of(
                        one(c, "PRAGMA journal_mode"),
                        one(c, "PRAGMA synchronous"),
                        one(c, "PRAGMA foreign_keys"),
                        one(c, "PRAGMA busy_timeout"),
                        one(c, "PRAGMA application_id"),
                        one(c, "SELECT group_concat(version) FROM schema_version"),
                        one(
                            c,
                            "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema"
                                + " WHERE type = 'table' ORDER BY name)"),
                        Thread.currentThread().getName())));
    assertEquals("wal", seen.get(0));
    assertEquals("1", seen.get(1), "synchronous=NORMAL");
    assertEquals("1", seen.get(2), "foreign keys on");
    assertEquals("5000", seen.get(3));
    assertEquals(Integer.toString(Schema.APPLICATION_ID), seen.get(4));
    assertEquals(versions(Migrations.ALL), seen.get(5));
    assertEquals(
        "alert_channels,alert_deliveries,alert_events,audit_log,heartbeat_pings,maintenance_windows,"
            + "observations_failed,rollup_daily,rollup_days_done,rollup_minute,schema_version,"
            + "verdict_transitions",
        seen.get(6));
    assertTrue(seen.get(7).startsWith("quorate-db"), "runs on the store thread: " + seen.get(7));
    await(db.close());
    // reopening applies nothing again
    Database again = await(Database.open(vertx, dir.resolve("data")));
    assertEquals(
        Integer.toString(Migrations.ALL.size()),
        await(again.read(c -> one(c, "SELECT count(*) FROM schema_version"))));
    await(again.close());
  }

  @Test
  void durableTransactionCommitsWithFullSyncThenReturnsToNormal() throws Exception {
    Database db = await(Database.open(vertx, dir));
    String during = await(db.durableTransaction(c -> one(c, "PRAGMA synchronous")));
    assertEquals("2", during, "synchronous=FULL inside");
    assertEquals("1", await(db.read(c -> one(c, "PRAGMA synchronous"))));
    await(db.close());
  }

  @Test
  void aFailedTransactionLeavesNothing() throws Exception {
    Database db = await(Database.open(vertx, dir));
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                await(
                    db.transaction(
                        c -> {
                          try (Statement s = c.createStatement()) {
                            s.executeUpdate(
                                "INSERT INTO alert_channels VALUES ('hook', 1, 'test')");
                            s.executeUpdate("INSERT INTO no_such_table VALUES (1)");
                          }
                          return null;
                        })));
    assertEquals(StoreException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains("no such table"), e.getMessage());
    assertEquals("0", await(db.read(c -> one(c, "SELECT count(*) FROM alert_channels"))));
    await(db.close());
    StoreException closed =
        assertThrows(StoreException.class, () -> await(db.read(c -> one(c, "SELECT 1"))));
    assertEquals(StoreException.Kind.CLOSED, closed.kind());
  }

  /** "1,2,…,N" of {@code migrations}. */
  static String versions(List<Migration> migrations) {
    return String.join(",", migrations.stream().map(m -> Integer.toString(m.version())).toList());
  }

  @Test
  void migrationNIsAppliedOnceAndANewerFileIsRefusedUntouched() throws Exception {
    int n = Migrations.ALL.size() + 1;
    List<Migration> withNext = new ArrayList<>(Migrations.ALL);
    withNext.add(
        new Migration(n, "next", List.of("CREATE TABLE next_table (id INTEGER PRIMARY KEY)")));
    Path file = dir.resolve("quorate.db");
    Database two = await(Database.openFile(vertx, file, withNext));
    assertEquals(n, two.schemaVersion());
    assertEquals(
        versions(withNext),
        await(two.read(c -> one(c, "SELECT group_concat(version) FROM schema_version"))));
    await(two.close());

    byte[] before = Files.readAllBytes(file);
    StoreException e = assertThrows(StoreException.class, () -> await(Database.open(vertx, dir)));
    assertEquals(StoreException.Kind.NEWER_SCHEMA, e.kind());
    assertEquals(
        "store "
            + file
            + " has schema version "
            + n
            + " but this build knows up to "
            + (n - 1)
            + " (written by a newer Quorate?);"
            + " refusing to start",
        e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file), "the newer file is not modified");
    assertFalse(Files.exists(dir.resolve("quorate.db-wal")), "not even a WAL was left");
  }

  @Test
  void garbageIsRefusedUntouched() throws Exception {
    Path file = dir.resolve("quorate.db");
    byte[] garbage = "this is not a database, it is a shopping list\n".repeat(200).getBytes();
    Files.write(file, garbage);
    StoreException e = assertThrows(StoreException.class, () -> await(Database.open(vertx, dir)));
    assertEquals(StoreException.Kind.CORRUPT, e.kind());
    assertEquals(
        "store " + file + " is not a SQLite database (bad header); refusing to start",
        e.getMessage());
    assertArrayEquals(garbage, Files.readAllBytes(file));
  }

  @Test
  void aDamagedDatabaseIsRefused() throws Exception {
    Path file = dir.resolve("quorate.db");
    Database db = await(Database.open(vertx, dir));
    await(db.close());
    byte[] bytes = Files.readAllBytes(file);
    // keep the 100-byte header intact, wreck the schema table's page (page 1 after the header)
    for (int i = 100; i < Math.min(bytes.length, 4096); i++) {
      bytes[i] = (byte) 0xA5;
    }
    Files.write(file, bytes);
    StoreException e = assertThrows(StoreException.class, () -> await(Database.open(vertx, dir)));
    assertEquals(StoreException.Kind.CORRUPT, e.kind());
    assertTrue(e.getMessage().startsWith("store " + file), e.getMessage());
    assertTrue(e.getMessage().endsWith("refusing to start"), e.getMessage());
  }

  @Test
  void anotherApplicationsDatabaseIsRefused() throws Exception {
    Path file = dir.resolve("quorate.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.executeUpdate("PRAGMA application_id = 42");
      s.executeUpdate("CREATE TABLE notes (body TEXT)");
    }
    StoreException e = assertThrows(StoreException.class, () -> await(Database.open(vertx, dir)));
    assertEquals(StoreException.Kind.FOREIGN, e.kind());
    assertEquals(
        "store " + file + " belongs to another application (application_id 42)", e.getMessage());
  }
}
