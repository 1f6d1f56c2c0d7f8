package io.quorate.store;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link DataDirLock}: one holder per data directory; the lock counts, never the file. */
@ExtendWith(VertxExtension.class)
class DataDirLockTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final long PID = ProcessHandle.current().pid();

  @TempDir Path dir;

  @Test
  void aSecondHolderInThisJvmIsRefusedNamingThePidUntilTheFirstReleases(Vertx vertx)
      throws Exception {
    Path data = dir.resolve("data");
    DataDirLock first = await(DataDirLock.acquire(vertx, data, T0));
    assertEquals(
        "pid=" + PID + " started=2026-11-22T10:00:00Z\n",
        Files.readString(data.resolve(DataDirLock.FILE_NAME)),
        "created with the directory; the holder's PID and start time");
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> await(DataDirLock.acquire(vertx, data, T0)));
    DataDirLockedException locked = assertInstanceOf(DataDirLockedException.class, e.getCause());
    assertEquals(PID, locked.holderPid());
    assertEquals(
        "data directory "
            + data
            + " is in use by another Quorate agent (PID "
            + PID
            + ", started 2026-11-22T10:00:00Z); stop that agent or give this one its own dataDir",
        locked.getMessage());
    // the same directory by another spelling is the same lock
    assertThrows(
        ExecutionException.class,
        () -> await(DataDirLock.acquire(vertx, data.resolve("..").resolve("data"), T0)));

    await(first.release());
    await(first.release()); // idempotent
    DataDirLock again = await(DataDirLock.acquire(vertx, data, T0.plusSeconds(1)));
    await(again.release());
  }

  @Test
  void aStaleLockFileLeftByAKilledAgentDoesNotBlock(Vertx vertx) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve(DataDirLock.FILE_NAME), "pid=999999 started=yesterday\n");
    DataDirLock lock = await(DataDirLock.acquire(vertx, data, T0));
    assertEquals(
        "pid=" + PID + " started=2026-11-22T10:00:00Z\n",
        Files.readString(data.resolve(DataDirLock.FILE_NAME)),
        "rewritten whole by the new holder");
    await(lock.release());
  }

  @Test
  void closingTheHoldersVertxReleasesTheLock(Vertx vertx) throws Exception {
    Path data = dir.resolve("data");
    Vertx crashed = Vertx.vertx();
    await(DataDirLock.acquire(crashed, data, T0));
    await(crashed.close());
    DataDirLock next = await(DataDirLock.acquire(vertx, data, T0));
    await(next.release());
  }
}
