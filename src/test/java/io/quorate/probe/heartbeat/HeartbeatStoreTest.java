package io.quorate.probe.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored last pings: newest wins even out of order, bursts coalesce, removed ids go. */
class HeartbeatStoreTest {
  static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

  @TempDir Path dir;
  Vertx vertx;
  Database db;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
  }

  @AfterEach
  void close() throws Exception {
    await(db.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HeartbeatBook.Ping ping(long seconds, boolean ok, String msg) {
    return new HeartbeatBook.Ping(T0.plusSeconds(seconds), ok, msg);
  }

  @Test
  void theNewestPingWinsInTheTableEvenWhenAnOlderOneIsSavedLater() throws Exception {
    HeartbeatStore store = new HeartbeatStore(db);
    store.save("backup", ping(60, false, "disk full"));
    await(store.idle());
    store.save("backup", ping(30, true, "")); // relayed late by a peer
    await(store.idle());
    HeartbeatStore reopened = new HeartbeatStore(db);
    assertEquals(
        Map.of("backup", ping(60, false, "disk full")), await(reopened.load(Set.of("backup"))));
  }

  @Test
  void aBurstIsWrittenWhole() throws Exception {
    HeartbeatStore store = new HeartbeatStore(db);
    for (int i = 0; i < 2_000; i++) {
      store.save("t" + (i % 7), ping(i, i % 2 == 0, "n" + i));
    }
    await(store.idle());
    Map<String, HeartbeatBook.Ping> got =
        await(new HeartbeatStore(db).load(Set.of("t0", "t1", "t2", "t3", "t4", "t5", "t6")));
    assertEquals(7, got.size());
    for (int k = 0; k < 7; k++) {
      int last = 1_999 - ((1_999 - k) % 7);
      assertEquals(ping(last, last % 2 == 0, "n" + last), got.get("t" + k), "t" + k);
    }
  }

  @Test
  void rowsOfTargetsNoLongerConfiguredAreDeletedAtLoad() throws Exception {
    HeartbeatStore store = new HeartbeatStore(db);
    store.save("kept", ping(1, true, ""));
    store.save("gone", ping(2, true, ""));
    await(store.idle());
    assertEquals(Set.of("kept"), await(store.load(Set.of("kept"))).keySet());
    assertEquals(Map.of(), await(store.load(Set.of("gone"))), "deleted, not just skipped");
  }
}
