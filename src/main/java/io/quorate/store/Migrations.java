package io.quorate.store;

import java.util.List;

/**
 * The schema of {@code quorate.db}, as the list of its migrations. Adding migration N means
 * appending {@code new Migration(N, "...", List.of(...))} to {@link #ALL}: {@link Database} applies
 * every migration above the file's version at open, and refuses files above the last one.
 */
public final class Migrations {
  private Migrations() {}

  /** Migration 1: the alert outbox (events, one delivery per event and channel, channel state). */
  static final Migration OUTBOX =
      new Migration(
          1,
          "alert outbox",
          List.of(
              """
              CREATE TABLE alert_events (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                severity TEXT NOT NULL,
                subject TEXT NOT NULL,
                grp TEXT,
                summary TEXT NOT NULL,
                details TEXT NOT NULL,
                occurred_at INTEGER NOT NULL,
                region TEXT,
                dedup_key TEXT,
                resolution INTEGER NOT NULL,
                raised_at INTEGER NOT NULL)""",
              "CREATE INDEX alert_events_raised ON alert_events(raised_at)",
              """
              CREATE TABLE alert_deliveries (
                id INTEGER PRIMARY KEY,
                event_id TEXT NOT NULL REFERENCES alert_events(id) ON DELETE CASCADE,
                channel_id TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN
                  ('pending', 'delivered', 'delivered-elsewhere', 'dead', 'disabled')),
                attempts INTEGER NOT NULL DEFAULT 0,
                retry_from INTEGER NOT NULL,
                next_attempt_at INTEGER,
                last_status INTEGER,
                last_detail TEXT,
                last_attempt_at INTEGER,
                closed_at INTEGER,
                closed_by TEXT,
                UNIQUE (event_id, channel_id))""",
              """
              CREATE INDEX alert_deliveries_due ON alert_deliveries(next_attempt_at)
                WHERE state = 'pending'""",
              """
              CREATE TABLE alert_channels (
                id TEXT PRIMARY KEY,
                disabled_at INTEGER NOT NULL,
                reason TEXT NOT NULL)"""));

  /** Migration 2: verdict transitions, the raw history behind SLA reports (ADR 0013). */
  static final Migration VERDICT_HISTORY =
      new Migration(
          2,
          "verdict history",
          List.of(
              """
              CREATE TABLE verdict_transitions (
                id INTEGER PRIMARY KEY,
                target TEXT NOT NULL,
                from_state TEXT NOT NULL,
                to_state TEXT NOT NULL,
                at INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                contested INTEGER NOT NULL,
                quorum INTEGER NOT NULL,
                votes TEXT NOT NULL)""",
              "CREATE INDEX verdict_transitions_target_at ON verdict_transitions(target, at)",
              "CREATE INDEX verdict_transitions_at ON verdict_transitions(at)"));

  /**
   * Migration 3: maintenance windows created through the API (ADR 0014), one row per window id with
   * its shared JSON form; a deleted window stays as a tombstone ({@code deleted = 1}) so an older
   * copy from a peer cannot bring it back.
   */
  static final Migration MAINTENANCE =
      new Migration(
          3,
          "maintenance windows",
          List.of(
              """
              CREATE TABLE maintenance_windows (
                id TEXT PRIMARY KEY,
                updated_at INTEGER NOT NULL,
                deleted INTEGER NOT NULL,
                body TEXT NOT NULL)"""));

  /**
   * Migration 4: per-minute and daily rollups, failing raw observations and the durable audit log
   * (ADR 0015). Times are epoch milliseconds; latencies microseconds.
   */
  static final Migration ROLLUPS_AUDIT =
      new Migration(
          4,
          "rollups, failing observations, audit log",
          List.of(
              """
              CREATE TABLE rollup_minute (
                target TEXT NOT NULL,
                minute INTEGER NOT NULL,
                up INTEGER NOT NULL,
                down INTEGER NOT NULL,
                degraded INTEGER NOT NULL,
                p50_us INTEGER,
                p95_us INTEGER,
                max_us INTEGER,
                hist BLOB NOT NULL,
                PRIMARY KEY (target, minute))""",
              "CREATE INDEX rollup_minute_at ON rollup_minute(minute)",
              """
              CREATE TABLE rollup_daily (
                target TEXT NOT NULL,
                day INTEGER NOT NULL,
                up INTEGER NOT NULL,
                down INTEGER NOT NULL,
                degraded INTEGER NOT NULL,
                p50_us INTEGER,
                p95_us INTEGER,
                max_us INTEGER,
                hist BLOB NOT NULL,
                PRIMARY KEY (target, day))""",
              "CREATE INDEX rollup_daily_at ON rollup_daily(day)",
              "CREATE TABLE rollup_days_done (day INTEGER PRIMARY KEY)",
              """
              CREATE TABLE observations_failed (
                id INTEGER PRIMARY KEY,
                target TEXT NOT NULL,
                region TEXT NOT NULL,
                at INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                error_kind TEXT NOT NULL,
                detail TEXT NOT NULL,
                duration_ms REAL NOT NULL)""",
              "CREATE INDEX observations_failed_target_at ON observations_failed(target, at)",
              "CREATE INDEX observations_failed_at ON observations_failed(at)",
              """
              CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                pool TEXT,
                action TEXT NOT NULL,
                outcome TEXT NOT NULL,
                actor TEXT NOT NULL,
                reasons TEXT NOT NULL,
                details TEXT NOT NULL)""",
              "CREATE INDEX audit_log_at ON audit_log(at)",
              "CREATE INDEX audit_log_pool_at ON audit_log(pool, at)"));

  /**
   * Migration 5: the newest heartbeat ping per push target, whichever region received it, so a
   * restarted agent judges a daily job from its last ping instead of reporting it missed (at is
   * epoch milliseconds; ok 0/1; msg at most 200 characters).
   */
  static final Migration HEARTBEAT_PINGS =
      new Migration(
          5,
          "heartbeat pings",
          List.of(
              """
              CREATE TABLE heartbeat_pings (
                target TEXT PRIMARY KEY,
                at INTEGER NOT NULL,
                ok INTEGER NOT NULL,
                msg TEXT NOT NULL)"""));

  /** Every migration of this build, in version order. */
  public static final List<Migration> ALL =
      List.of(OUTBOX, VERDICT_HISTORY, MAINTENANCE, ROLLUPS_AUDIT, HEARTBEAT_PINGS);
}
