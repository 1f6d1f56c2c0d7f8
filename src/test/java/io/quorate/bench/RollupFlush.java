package io.quorate.bench;

import io.quorate.probe.Outcome;
import io.quorate.store.Database;
import io.quorate.store.MinuteAccumulator;
import io.quorate.store.Rollups;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Writing one closed minute of rollups for {@code targets} targets (one transaction, one batched
 * insert) into a real SQLite file, {@code minutes} times; prints each flush, the median and the
 * worst, the bytes per row, and the time to sum those minutes into a day. A bounded main, not a
 * test.
 *
 * <pre>
 * java -cp $CP io.quorate.bench.RollupFlush [targets=10000] [minutes=30]
 * </pre>
 */
public final class RollupFlush {
  private RollupFlush() {}

  public static void main(String[] args) throws Exception {
    int targets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path dir = Files.createTempDirectory("quorate-rollup-bench");
    Vertx vertx = Vertx.vertx();
    try {
      Database db = await(Database.open(vertx, dir));
      Rollups rollups = new Rollups(db);
      Instant day = Instant.parse("2026-11-20T00:00:00Z");
      SplittableRandom rnd = new SplittableRandom(1);
      List<Double> ms = new ArrayList<>();
      for (int m = 0; m < minutes; m++) {
        Instant start = day.plusSeconds(60L * m);
        MinuteAccumulator acc = new MinuteAccumulator(targets + 1);
        for (int t = 0; t < targets; t++) {
          // two observations per target and minute (a 30 s interval), ~1 % failing
          for (int k = 0; k < 2; k++) {
            Outcome o = rnd.nextInt(100) == 0 ? Outcome.DOWN : Outcome.UP;
            acc.add("target-" + t, o, 5 + rnd.nextDouble() * 200, start.plusSeconds(30L * k));
          }
        }
        MinuteAccumulator.Minute minute = acc.closed(start.plusSeconds(60)).get(0);
        long t0 = System.nanoTime();
        await(rollups.flush(minute));
        double took = (System.nanoTime() - t0) / 1e6;
        ms.add(took);
        System.out.printf("minute %d: %d rows in %.1f ms%n", m, minute.cells().size(), took);
      }
      long t0 = System.nanoTime();
      int days = await(rollups.compactDays(day.plusSeconds(86_400)));
      double sumMs = (System.nanoTime() - t0) / 1e6;
      await(db.close());
      long bytes = Files.size(dir.resolve(Database.FILE_NAME));
      Collections.sort(ms);
      System.out.printf(
          "flush of %d targets x 1 minute: median %.1f ms, worst %.1f ms (%d minutes)%n",
          targets, ms.get(ms.size() / 2), ms.get(ms.size() - 1), minutes);
      System.out.printf(
          "file %.1f MB after checkpoint = ~%d bytes per row (minute + daily rows, indexes)%n",
          bytes / 1e6, bytes / ((long) targets * (minutes + 1)));
      System.out.printf(
          "summing %d day(s) from %d minute rows: %.0f ms%n", days, targets * minutes, sumMs);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
