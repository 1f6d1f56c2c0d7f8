package io.quorate.store;

import static io.quorate.store.DatabaseTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log written through to SQLite: it survives a restart and ids continue. */
class AuditDurableTest {
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  static final Instant END = Instant.ofEpochMilli(Long.MAX_VALUE);

  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  static AuditLog.Entry add(AuditLog log, int minute, String pool, String action) {
    return log.add(
        T0.plusSeconds(60L * minute),
        pool,
        action,
        "applied",
        "agent:eu-west",
        List.of("member web-1 DOWN", "quorum 2/3"),
        Map.of("prerequisite", "A 192.0.2.1", "votes", "eu-west=DOWN"));
  }

  @Test
  void entriesSurviveARestartAndIdsContinue() throws Exception {
    Database db = await(Database.open(vertx, dir));
    AuditLog first = new AuditLog(100);
    await(first.attach(new AuditStore(db)));
    add(first, 0, "web", "plan");
    add(first, 1, "web", "update");
    AuditLog.Entry third = add(first, 2, null, "start");
    assertEquals(3, third.id());
    await(db.close()); // queued writes run before the close

    db = await(Database.open(vertx, dir));
    AuditLog second = new AuditLog(2);
    await(second.attach(new AuditStore(db)));
    assertEquals(
        List.of(3L, 2L),
        second.recent(null, 10).stream().map(AuditLog.Entry::id).toList(),
        "the newest stored entries are in memory again (capacity 2)");
    AuditLog.Entry next = add(second, 3, "web", "propagated");
    assertEquals(4, next.id(), "ids continue after the stored ones");
    List<AuditLog.Entry> all = await(second.between(null, T0, END, 10));
    assertEquals(List.of(4L, 3L, 2L, 1L), all.stream().map(AuditLog.Entry::id).toList());
    AuditLog.Entry plan = all.get(3);
    assertEquals(T0, plan.at());
    assertEquals("web", plan.pool());
    assertEquals("plan", plan.action());
    assertEquals("applied", plan.outcome());
    assertEquals("agent:eu-west", plan.actor());
    assertEquals(List.of("member web-1 DOWN", "quorum 2/3"), plan.reasons());
    assertEquals(Map.of("prerequisite", "A 192.0.2.1", "votes", "eu-west=DOWN"), plan.details());
    assertEquals(
        List.of(2L),
        await(second.between("web", T0.plusSeconds(60), T0.plusSeconds(180), 10)).stream()
            .map(AuditLog.Entry::id)
            .toList(),
        "pool and [from, to) filter");
    assertEquals(1, await(second.between(null, T0, END, 1)).size(), "limit");
    await(db.close());
  }

  @Test
  void withoutAStoreTheLogIsMemoryOnly() throws Exception {
    AuditLog log = new AuditLog(2);
    add(log, 0, "web", "plan");
    add(log, 1, "web", "update");
    add(log, 2, "mail", "update");
    assertEquals(List.of(3L, 2L), log.recent(null, 10).stream().map(AuditLog.Entry::id).toList());
    assertEquals(
        List.of(2L),
        await(log.between("web", T0, END, 10)).stream().map(AuditLog.Entry::id).toList());
    assertEquals(List.of(), await(log.between(null, T0, T0.plusSeconds(60), 10)));
  }

  @Test
  void retentionDeletesExactlyTheOlderEntriesAndCaps() throws Exception {
    Database db = await(Database.open(vertx, dir));
    AuditStore store = new AuditStore(db);
    AuditLog log = new AuditLog(10);
    await(log.attach(store));
    for (int i = 0; i < 10; i++) {
      add(log, i, "web", "plan");
    }
    assertEquals(3, await(store.deleteBefore(T0.plusSeconds(180), 2)), "in chunks of 2");
    List<AuditLog.Entry> left = await(store.between(null, T0, END, 100));
    assertEquals(4L, left.get(left.size() - 1).id(), "the entry at the cutoff stays");
    assertEquals(4, await(store.cap(3, 2)));
    assertEquals(
        List.of(10L, 9L, 8L),
        await(store.between(null, T0, END, 100)).stream().map(AuditLog.Entry::id).toList());
    assertEquals(0, await(store.cap(3, 2)));
    await(db.close());
  }
}
