package io.quorate.store;

import static io.quorate.store.DatabaseTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.probe.Outcome;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minute open at a graceful stop is written partially, and the restarted agent writes the rest
 * of the same minute later: the row holds the sum of both (ADR 0016).
 */
class RollupAcrossStopTest {
  static final Instant MINUTE = Instant.parse("2026-11-20T10:15:00Z");

  @TempDir Path dir;

  private static MinuteAccumulator.Minute part(int up, int down, long micros) {
    MinuteAccumulator acc = new MinuteAccumulator(10);
    for (int i = 0; i < up; i++) {
      acc.add("web-1", Outcome.UP, micros / 1000.0, MINUTE.plusSeconds(10));
    }
    for (int i = 0; i < down; i++) {
      acc.add("web-1", Outcome.DOWN, 500, MINUTE.plusSeconds(20));
    }
    List<MinuteAccumulator.Minute> closed = acc.closed(MINUTE.plusSeconds(60));
    assertEquals(1, closed.size());
    return closed.get(0);
  }

  @Test
  void aMinuteWrittenBeforeAndAfterARestartIsSummed() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database before = await(Database.open(vertx, dir));
      await(new Rollups(before).flush(part(3, 1, 2_000)));
      await(before.close());

      Database after = await(Database.open(vertx, dir));
      Rollups rollups = new Rollups(after);
      await(rollups.flush(part(2, 0, 9_000)));
      List<Rollups.Row> rows =
          await(rollups.rows(Rollups.Step.MINUTE, "web-1", MINUTE, MINUTE.plusSeconds(60), 10));
      await(after.close());
      assertEquals(1, rows.size());
      Rollups.Row r = rows.get(0);
      assertEquals(5, r.up());
      assertEquals(1, r.down());
      assertEquals(0, r.degraded());
      assertEquals(9_000, r.maxMicros(), 9_000 * LatencyHistogram.MAX_RELATIVE_ERROR);
    } finally {
      await(vertx.close());
    }
  }
}
