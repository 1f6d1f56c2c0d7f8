package io.quorate.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test moves it. */
public final class MutableClock extends Clock {
  private Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** Starts at 2026-11-22T00:00:00Z. */
  public static MutableClock start() {
    return new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  }

  public MutableClock advanceMs(long ms) {
    now = now.plusMillis(ms);
    return this;
  }

  public MutableClock advance(Duration d) {
    now = now.plus(d);
    return this;
  }

  public void set(Instant at) {
    now = at;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a MutableClock is always UTC");
  }
}
