package io.quorate.store;

import io.quorate.config.RegionConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store compaction (ADR 0015), run at start and hourly: sums ended days into daily rollups
 * first (so no minute is deleted before its day is summed), then deletes what is older than the
 * region file's {@code store:} retention, then caps each table at {@code maxRows}; the verdict
 * history compacts by its own {@link VerdictHistory.Limits}, which the agent builds from {@code
 * historyDays} and {@code maxRows}. Deletes run in chunks of {@value #CHUNK} rows. Runs never
 * overlap.
 */
public final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  static final int CHUNK = 50_000;

  private final RegionConfig.Store limits;
  private final Rollups rollups;
  private final FailedObservations failed;
  private final AuditStore audit;
  private final VerdictHistory history;
  private boolean running;

  public Retention(
      RegionConfig.Store limits,
      Rollups rollups,
      FailedObservations failed,
      AuditStore audit,
      VerdictHistory history) {
    this.limits = limits;
    this.rollups = rollups;
    this.failed = failed;
    this.audit = audit;
    this.history = history;
  }

  /**
   * Compacts as of {@code now}; succeeds with rows deleted per table (days summed under {@code
   * days}), or with an empty map when a run is already going.
   */
  public Future<Map<String, Integer>> compact(Instant now) {
    synchronized (this) {
      if (running) {
        return Future.succeededFuture(Map.of());
      }
      running = true;
    }
    Map<String, Integer> done = new LinkedHashMap<>();
    return run(steps(now), 0, done)
        .map(
            v -> {
              LOG.info("store compacted {}", done);
              return done;
            })
        .eventually(
            () -> {
              synchronized (this) {
                running = false;
              }
              return Future.succeededFuture();
            });
  }

  /** In order: sum days, then per table delete by age, then cap. */
  private List<Map.Entry<String, Supplier<Future<Integer>>>> steps(Instant now) {
    long max = limits.maxRows();
    Rollups.Step minute = Rollups.Step.MINUTE;
    Rollups.Step day = Rollups.Step.DAY;
    return List.of(
        Map.entry("days", () -> rollups.compactDays(now)),
        Map.entry(
            "rollup_minute",
            () -> rollups.deleteBefore(minute, ago(now, limits.minuteDays()), CHUNK)),
        Map.entry("rollup_minute", () -> rollups.cap(minute, max, CHUNK)),
        Map.entry(
            "rollup_daily", () -> rollups.deleteBefore(day, ago(now, limits.dailyDays()), CHUNK)),
        Map.entry("rollup_daily", () -> rollups.cap(day, max, CHUNK)),
        Map.entry(
            "observations_failed", () -> failed.deleteBefore(ago(now, limits.rawDays()), CHUNK)),
        Map.entry("observations_failed", () -> failed.cap(max, CHUNK)),
        Map.entry("audit_log", () -> audit.deleteBefore(ago(now, limits.auditDays()), CHUNK)),
        Map.entry("audit_log", () -> audit.cap(max, CHUNK)),
        Map.entry("verdict_transitions", () -> history.compact(now)));
  }

  private static Future<Void> run(
      List<Map.Entry<String, Supplier<Future<Integer>>>> steps, int i, Map<String, Integer> done) {
    if (i == steps.size()) {
      return Future.succeededFuture();
    }
    Map.Entry<String, Supplier<Future<Integer>>> step = steps.get(i);
    return step.getValue()
        .get()
        .compose(
            n -> {
              done.merge(step.getKey(), n, Integer::sum);
              return run(steps, i + 1, done);
            });
  }

  static Instant ago(Instant now, int days) {
    return now.minus(Duration.ofDays(days));
  }
}
