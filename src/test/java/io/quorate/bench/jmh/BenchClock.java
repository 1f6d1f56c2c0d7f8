package io.quorate.bench.jmh;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the benchmark moves. Like {@link Clock#systemUTC()}, {@link #instant()} allocates a new
 * {@link Instant} on every call, so allocation figures match a real agent; {@link #millis()} does
 * not allocate.
 */
final class BenchClock extends Clock {
  private volatile long nowMs;

  BenchClock(long startMs) {
    this.nowMs = startMs;
  }

  void advanceMs(long ms) {
    nowMs += ms;
  }

  @Override
  public long millis() {
    return nowMs;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(nowMs);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UTC only");
  }
}
