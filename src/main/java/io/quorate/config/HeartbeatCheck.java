package io.quorate.config;

import java.util.Objects;

/**
 * A push check: something (a backup job, a cron task) pings {@code POST /api/v1/heartbeats/{id}}
 * with {@code token} at least every {@code periodMs}; no ok ping within {@code periodMs + graceMs}
 * (or a ping with {@code status=fail}) is DOWN.
 *
 * @param periodMs the expected time between pings
 * @param graceMs extra time allowed after a period before the check is missed
 * @param token the bearer token the pinger sends (a secret of at least {@link #MIN_TOKEN} chars)
 */
public record HeartbeatCheck(long periodMs, long graceMs, Secret token) implements Check {
  public static final int MIN_TOKEN = 16;
  public static final long MIN_PERIOD_MS = 1_000;
  public static final long MAX_PERIOD_MS = 31L * 86_400_000L;

  public HeartbeatCheck {
    Objects.requireNonNull(token, "token");
  }

  /** How long after an ok ping the check stays UP. */
  public long deadlineMs() {
    return periodMs + graceMs;
  }
}
