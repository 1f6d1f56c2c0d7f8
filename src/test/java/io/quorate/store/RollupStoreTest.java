package io.quorate.store;

import static io.quorate.store.DatabaseTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.quorum.Observation;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Minute rollups written once per minute, surviving a reopen, and days summed exactly. */
class RollupStoreTest {
  static final Instant DAY1 = Instant.parse("2026-11-20T00:00:00Z");
  static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;
  Vertx vertx;
  Database db;
  MutableClock clock;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    clock = new MutableClock(DAY1.plusSeconds(3600));
  }

  @AfterEach
  void close() throws Exception {
    await(db.close());
    await(vertx.close());
  }

  static Observation obs(String target, Outcome o, double ms, Instant startedAt) {
    ProbeResult r =
        o == Outcome.UP
            ? ProbeResult.up(target, "ok", startedAt, Timings.total(ms), null, null)
            : new ProbeResult(
                target,
                o,
                ErrorKind.TIMEOUT,
                "timed out",
                startedAt,
                Timings.total(ms),
                null,
                null);
    return new Observation("eu-west", 1, r);
  }

  @Test
  void eachClosedMinuteIsWrittenOnceAndSurvivesAReopen() throws Exception {
    Rollups rollups = new Rollups(db);
    FailedObservations failed = new FailedObservations(db, 100);
    ObservationRecorder rec =
        new ObservationRecorder(clock, new MinuteAccumulator(100), rollups, failed);
    Instant m0 = clock.instant();
    for (int minute = 0; minute < 3; minute++) {
      for (int s = 0; s < 60; s += 20) {
        clock.set(m0.plusSeconds(minute * 60L + s));
        rec.accept(obs("web-1", Outcome.UP, 10 + s, clock.instant()));
        rec.accept(obs("web-2", s == 40 ? Outcome.DOWN : Outcome.UP, 100, clock.instant()));
      }
      assertEquals(minute == 0 ? 0 : 1, await(rec.flush()), "minute " + minute);
      assertEquals(0, await(rec.flush()), "nothing more to write in the same minute");
    }
    clock.set(m0.plusSeconds(180));
    assertEquals(1, await(rec.flush()));
    assertEquals(0, await(rec.flush()));
    assertEquals(6L, count("SELECT count(*) FROM rollup_minute"));
    assertEquals(3L, count("SELECT count(*) FROM observations_failed"));
    await(db.close());

    db = await(Database.open(vertx, dir));
    List<Rollups.Row> rows =
        await(new Rollups(db).rows(Rollups.Step.MINUTE, "web-2", m0, m0.plusSeconds(3600), 100));
    assertEquals(3, rows.size(), "every flushed minute is there after a reopen");
    for (int i = 0; i < 3; i++) {
      Rollups.Row r = rows.get(i);
      assertEquals(m0.plusSeconds(60L * i), r.start());
      assertEquals(List.of(2, 1, 0), List.of(r.up(), r.down(), r.degraded()));
      assertEquals(100_000L, r.maxMicros());
    }
    Rollups.Row web1 =
        await(new Rollups(db).rows(Rollups.Step.MINUTE, "web-1", m0, m0.plusSeconds(60), 10))
            .get(0);
    assertEquals(3, web1.up());
    assertEquals(50_000L, web1.maxMicros());
    assertEquals(50_000L, web1.p95Micros(), "the largest of three is the exact max");
    assertEquals(
        30_000L,
        web1.p50Micros(),
        30_000 * LatencyHistogram.MAX_RELATIVE_ERROR,
        "median of 10/30/50");
  }

  @Test
  void aDayIsExactlyTheSumOfItsMinutes() throws Exception {
    Rollups rollups = new Rollups(db);
    SplittableRandom rnd = new SplittableRandom(3);
    Map<String, LatencyHistogram> expected = new HashMap<>();
    Map<String, int[]> counts = new HashMap<>();
    for (int d = 0; d < 2; d++) {
      for (int i = 0; i < 200; i++) {
        Instant minute = DAY1.plus(DAY.multipliedBy(d)).plusSeconds(60L * rnd.nextInt(1440));
        MinuteAccumulator acc = new MinuteAccumulator(10);
        for (String t : List.of("a", "b")) {
          int n = rnd.nextInt(4);
          for (int k = 0; k < n; k++) {
            Outcome o = Outcome.values()[rnd.nextInt(3)];
            long micros = 100 + rnd.nextLong(5_000_000);
            acc.add(t, o, micros / 1000.0, minute);
          }
        }
        List<MinuteAccumulator.Minute> m = acc.closed(minute.plusSeconds(60));
        if (!m.isEmpty()) {
          await(rollups.flush(m.get(0)));
        }
      }
    }
    // the minute rows as written (a minute drawn twice was replaced): sum them by hand
    await(
        db.read(
            c -> {
              try (PreparedStatement p =
                      c.prepareStatement(
                          "SELECT target, minute, up, down, degraded, hist FROM rollup_minute");
                  ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                  String key = rs.getString(1) + "@" + Math.floorDiv(rs.getLong(2), DAY.toMillis());
                  expected
                      .computeIfAbsent(key, k -> new LatencyHistogram())
                      .add(LatencyHistogram.decode(rs.getBytes(6)));
                  int[] n = counts.computeIfAbsent(key, k -> new int[3]);
                  n[0] += rs.getInt(3);
                  n[1] += rs.getInt(4);
                  n[2] += rs.getInt(5);
                }
              }
              return null;
            }));
    clock.set(DAY1.plus(DAY.multipliedBy(2)).plusSeconds(300));
    assertEquals(2, await(rollups.compactDays(clock.instant())));
    assertEquals(
        0, await(rollups.compactDays(clock.instant())), "a summed day is not summed again");
    assertEquals(4L, count("SELECT count(*) FROM rollup_daily"));
    for (String key : expected.keySet()) {
      String target = key.substring(0, 1);
      Instant day = Instant.ofEpochMilli(Long.parseLong(key.substring(2)) * DAY.toMillis());
      Rollups.Row r = await(rollups.rows(Rollups.Step.DAY, target, day, day.plus(DAY), 5)).get(0);
      int[] n = counts.get(key);
      assertEquals(List.of(n[0], n[1], n[2]), List.of(r.up(), r.down(), r.degraded()), key);
      LatencyHistogram h = expected.get(key);
      assertEquals(h.percentile(0.5), r.p50Micros(), key);
      assertEquals(h.percentile(0.95), r.p95Micros(), key);
      assertEquals(h.maxMicros(), r.maxMicros(), key);
      assertArrayEquals(h.encode(), dailyBlob(target, day), key);
    }
  }

  @Test
  void theCurrentDayIsNotSummedAndAnEmptyStoreHasNothingToSum() throws Exception {
    Rollups rollups = new Rollups(db);
    assertEquals(0, await(rollups.compactDays(clock.instant())));
    MinuteAccumulator acc = new MinuteAccumulator(10);
    acc.add("a", Outcome.DOWN, 1, DAY1.plusSeconds(30));
    await(rollups.flush(acc.closed(DAY1.plusSeconds(60)).get(0)));
    assertEquals(0, await(rollups.compactDays(DAY1.plusSeconds(86_399))));
    assertEquals(1, await(rollups.compactDays(DAY1.plus(DAY))));
    Rollups.Row r = await(rollups.rows(Rollups.Step.DAY, "a", DAY1, DAY1.plus(DAY), 5)).get(0);
    assertEquals(1, r.down());
    assertNull(r.p50Micros(), "no latency from DOWN observations");
  }

  @Test
  void aDayIsSummedInTargetChunksAndADayInterruptedMidwayIsSummedAgain() throws Exception {
    Rollups rollups = new Rollups(db);
    MinuteAccumulator acc = new MinuteAccumulator(2_000);
    int targets = Rollups.TARGETS_PER_TRANSACTION * 2 + 7;
    for (int i = 0; i < targets; i++) {
      acc.add(String.format("t-%04d", i), i % 3 == 0 ? Outcome.DOWN : Outcome.UP, 5, DAY1);
    }
    await(rollups.flush(acc.closed(DAY1.plusSeconds(60)).get(0)));
    // a crash after the first chunk: rows for some targets, the day not marked done
    String last = await(db.transaction(c -> Rollups.sumDayChunk(c, DAY1.toEpochMilli(), "", 100)));
    assertEquals("t-0099", last);
    assertEquals(100L, count("SELECT count(*) FROM rollup_daily"));
    assertEquals(0L, count("SELECT count(*) FROM rollup_days_done"));
    assertEquals(1, await(rollups.compactDays(DAY1.plus(DAY))), "the day is summed again");
    assertEquals((long) targets, count("SELECT count(*) FROM rollup_daily"));
    assertEquals((long) (targets + 2) / 3, count("SELECT sum(down) FROM rollup_daily"));
    assertEquals(1L, count("SELECT count(*) FROM rollup_days_done"));
    assertEquals(0, await(rollups.compactDays(DAY1.plus(DAY))), "and only once");
  }

  @Test
  void tenThousandTargetsAreOneBatchedMinute() throws Exception {
    MinuteAccumulator acc = new MinuteAccumulator(20_000);
    for (int i = 0; i < 10_000; i++) {
      acc.add("t-" + i, Outcome.UP, 1 + i % 500, DAY1);
      acc.add("t-" + i, Outcome.UP, 2 + i % 700, DAY1.plusSeconds(30));
    }
    assertEquals(10_000, await(new Rollups(db).flush(acc.closed(DAY1.plusSeconds(60)).get(0))));
    assertEquals(
        10_000L, count("SELECT count(*) FROM rollup_minute WHERE minute = " + DAY1.toEpochMilli()));
  }

  byte[] dailyBlob(String target, Instant day) throws Exception {
    return await(
        db.read(
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT hist FROM rollup_daily WHERE target = ? AND day = ?")) {
                p.setString(1, target);
                p.setLong(2, day.toEpochMilli());
                try (ResultSet rs = p.executeQuery()) {
                  rs.next();
                  return rs.getBytes(1);
                }
              }
            }));
  }

  long count(String sql) throws Exception {
    return await(
        db.read(
            c -> {
              try (PreparedStatement p = c.prepareStatement(sql);
                  ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
              }
            }));
  }
}
