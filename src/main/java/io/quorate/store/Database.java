package io.quorate.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's embedded SQLite store ({@code <dataDir>/quorate.db}, ADR 0011). One connection, used
 * only by one dedicated worker thread, so every statement is serialised and none runs on an event
 * loop; callers get {@link Future}s. WAL journal, {@code synchronous=NORMAL} for bookkeeping and
 * {@code FULL} for {@link #durableTransaction}, foreign keys on, a busy timeout, and a versioned
 * schema migrated forward at {@link #open}.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** The file inside the data directory. */
  public static final String FILE_NAME = "quorate.db";

  /** Work on the connection; runs on the store's thread only. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private interface Body<T> {
    T run() throws SQLException;
  }

  private final Path file;
  private final WorkerExecutor executor;
  private final Connection conn;
  private final int schemaVersion;
  private volatile boolean closed;

  private Database(Path file, WorkerExecutor executor, Connection conn, int schemaVersion) {
    this.file = file;
    this.executor = executor;
    this.conn = conn;
    this.schemaVersion = schemaVersion;
  }

  /** Opens (creating if needed) {@code <dataDir>/quorate.db} with this build's migrations. */
  public static Future<Database> open(Vertx vertx, Path dataDir) {
    return openFile(vertx, dataDir.resolve(FILE_NAME), Migrations.ALL);
  }

  /**
   * Opens {@code file}, checks it, and applies every migration above its version. Fails with a
   * {@link StoreException} (the file left untouched) when it is not a SQLite file or is damaged
   * ({@code CORRUPT}), belongs to another program ({@code FOREIGN}) or has a newer schema ({@code
   * NEWER_SCHEMA}).
   */
  public static Future<Database> openFile(Vertx vertx, Path file, List<Migration> migrations) {
    WorkerExecutor executor = vertx.createSharedWorkerExecutor("quorate-db", 1);
    return executor
        .executeBlocking(() -> Schema.openChecked(file, migrations), true)
        .map(
            opened -> {
              LOG.info(
                  "store opened file={} schemaVersion={} migrated={}",
                  file,
                  opened.version(),
                  opened.migrated());
              return new Database(file, executor, opened.connection(), opened.version());
            })
        .recover(err -> executor.close().transform(v -> Future.failedFuture(err)));
  }

  /** Runs {@code work} without a transaction (one statement is atomic on its own). */
  public <T> Future<T> read(Work<T> work) {
    return submit("read", () -> work.run(conn));
  }

  /**
   * Runs {@code work} in one {@code BEGIN IMMEDIATE} transaction: committed when it returns, rolled
   * back when it throws. Durable across a process crash ({@code kill -9}) once the future succeeds.
   */
  public <T> Future<T> transaction(Work<T> work) {
    return submit("transaction", () -> inTransaction(work));
  }

  /**
   * As {@link #transaction}, but the commit is fsynced ({@code synchronous=FULL}): it also survives
   * an OS crash or power loss once the future succeeds. For writes that must never be lost (an
   * alert accepted into the outbox).
   */
  public <T> Future<T> durableTransaction(Work<T> work) {
    return submit(
        "durable transaction",
        () -> {
          Schema.pragma(conn, "synchronous", "FULL");
          try {
            return inTransaction(work);
          } finally {
            Schema.pragma(conn, "synchronous", "NORMAL");
          }
        });
  }

  public Path file() {
    return file;
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  /** Closes the connection after the queued work, then the worker; later calls fail (CLOSED). */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return executor
        .<Void>executeBlocking(
            () -> {
              conn.close();
              return null;
            },
            true)
        .eventually(executor::close)
        .onSuccess(v -> LOG.info("store closed file={}", file));
  }

  private <T> T inTransaction(Work<T> work) throws SQLException {
    conn.setAutoCommit(false);
    try {
      T result = work.run(conn);
      conn.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    } finally {
      conn.setAutoCommit(true);
    }
  }

  private <T> Future<T> submit(String what, Body<T> body) {
    if (closed) {
      return Future.failedFuture(new StoreException(StoreException.Kind.CLOSED, "store is closed"));
    }
    return executor.executeBlocking(
        () -> {
          try {
            return body.run();
          } catch (SQLException e) {
            throw new StoreException(
                StoreException.Kind.IO, "store " + what + " failed: " + e.getMessage(), e);
          }
        },
        true);
  }
}
