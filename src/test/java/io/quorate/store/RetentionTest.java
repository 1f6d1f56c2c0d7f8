package io.quorate.store;

import static io.quorate.store.DatabaseTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.config.RegionConfig;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store compaction: each table loses exactly its rows older than the cutoff, then the caps. */
class RetentionTest {
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

  @TempDir Path dir;
  Vertx vertx;
  Database db;
  Rollups rollups;
  FailedObservations failed;
  AuditStore audit;
  VerdictHistory history;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    rollups = new Rollups(db);
    failed = new FailedObservations(db, 100);
    audit = new AuditStore(db);
    // the agent builds the history's limits from store.historyDays (4 here) and maxRows
    history =
        new VerdictHistory(db, new MutableClock(NOW), new VerdictHistory.Limits(4, 1_000, 1_000));
  }

  @AfterEach
  void close() throws Exception {
    await(db.close());
    await(vertx.close());
  }

  void minute(String target, String at) throws Exception {
    MinuteAccumulator acc = new MinuteAccumulator(10);
    acc.add(target, Outcome.UP, 5, Instant.parse(at));
    await(rollups.flush(acc.closed(Instant.parse(at).plusSeconds(60)).get(0)));
  }

  @Test
  void eachTableLosesExactlyItsOlderRows() throws Exception {
    for (String at :
        List.of(
            "2026-11-17T12:00:00Z",
            "2026-11-18T12:00:00Z",
            "2026-11-19T23:59:00Z",
            "2026-11-20T00:00:00Z",
            "2026-11-21T23:59:00Z")) {
      minute("web-1", at);
    }
    failed.accept(
        RollupStoreTest.obs("web-1", Outcome.DOWN, 1, Instant.parse("2026-11-20T23:59:59.999Z")));
    failed.accept(
        RollupStoreTest.obs("web-1", Outcome.DEGRADED, 1, Instant.parse("2026-11-21T00:00:00Z")));
    failed.accept(
        RollupStoreTest.obs("web-1", Outcome.UP, 1, Instant.parse("2026-11-10T00:00:00Z")));
    await(failed.flush());
    AuditLog log = new AuditLog(10);
    await(log.attach(audit));
    log.add(
        Instant.parse("2026-11-16T23:59:59.999Z"), "web", "plan", "noop", "a", List.of(), Map.of());
    log.add(Instant.parse("2026-11-17T00:00:00Z"), "web", "plan", "noop", "a", List.of(), Map.of());
    VerdictHistoryRows.record(history, "a", Status.UNKNOWN, Status.UP, "2026-11-17T00:00:00Z");
    VerdictHistoryRows.record(history, "a", Status.UP, Status.DOWN, "2026-11-17T23:59:59.999Z");
    VerdictHistoryRows.record(history, "a", Status.DOWN, Status.UP, "2026-11-18T00:00:00Z");
    VerdictHistoryRows.record(history, "b", Status.UNKNOWN, Status.UP, "2026-11-01T00:00:00Z");

    Retention retention =
        new Retention(
            new RegionConfig.Store(1, 2, 3, 4, 5, 1_000), rollups, failed, audit, history);
    Map<String, Integer> done = await(retention.compact(NOW));
    assertEquals(
        Map.of(
            "days", 5,
            "rollup_minute", 3,
            "rollup_daily", 2,
            "observations_failed", 1,
            "audit_log", 1,
            "verdict_transitions", 2),
        done);
    assertEquals(
        List.of("2026-11-20T00:00:00Z", "2026-11-21T23:59:00Z"),
        times("SELECT minute FROM rollup_minute ORDER BY minute"));
    assertEquals(
        List.of("2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"),
        times("SELECT day FROM rollup_daily ORDER BY day"));
    assertEquals(
        List.of("2026-11-21T00:00:00Z"), times("SELECT at FROM observations_failed ORDER BY at"));
    assertEquals(List.of("2026-11-17T00:00:00Z"), times("SELECT at FROM audit_log ORDER BY at"));
    assertEquals(
        List.of("2026-11-01T00:00:00Z", "2026-11-18T00:00:00Z"),
        times("SELECT at FROM verdict_transitions ORDER BY at"),
        "b's only (newest) transition is kept although older");
    Map<String, Integer> again = await(retention.compact(NOW));
    assertEquals(0, again.values().stream().mapToInt(Integer::intValue).sum(), "" + again);
  }

  @Test
  void capsDeleteTheOldestFirst() throws Exception {
    for (String at :
        List.of("2026-11-21T10:00:00Z", "2026-11-21T10:01:00Z", "2026-11-21T10:02:00Z")) {
      minute("web-1", at);
      minute("web-2", at);
    }
    assertEquals(4, await(rollups.cap(Rollups.Step.MINUTE, 3, 1)), "whole minutes, in chunks of 1");
    assertEquals(
        List.of("2026-11-21T10:02:00Z", "2026-11-21T10:02:00Z"),
        times("SELECT minute FROM rollup_minute ORDER BY minute"));
    assertEquals(0, await(rollups.cap(Rollups.Step.MINUTE, 2, 1)));
    for (int i = 0; i < 5; i++) {
      failed.accept(RollupStoreTest.obs("web-1", Outcome.DOWN, 1, NOW.plusSeconds(i)));
    }
    await(failed.flush());
    assertEquals(3, await(failed.cap(2, 2)));
    assertEquals(
        List.of("2026-11-22T00:00:03Z", "2026-11-22T00:00:04Z"),
        times("SELECT at FROM observations_failed ORDER BY at"));
  }

  List<String> times(String sql) throws Exception {
    return await(
        db.read(
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement p = c.prepareStatement(sql);
                  ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                  out.add(Instant.ofEpochMilli(rs.getLong(1)).toString());
                }
              }
              return out;
            }));
  }
}
