package io.quorate.alert;

import java.time.Duration;

/**
 * What the outbox keeps, so its file stays bounded (ADR 0011).
 *
 * @param keepDelivered events whose deliveries are all closed and none dead are deleted this long
 *     after they were raised (default 7 days)
 * @param keepDead events with a dead delivery (and none pending) are deleted this long after they
 *     were raised (default 30 days)
 * @param maxClosedEvents beyond this many events without a pending delivery, the oldest are deleted
 * @param maxPendingEvents a raise is refused ({@code StoreException.Kind.FULL}) while this many
 *     events have pending deliveries
 */
public record OutboxLimits(
    Duration keepDelivered, Duration keepDead, int maxClosedEvents, int maxPendingEvents) {
  public static final OutboxLimits DEFAULT =
      new OutboxLimits(Duration.ofDays(7), Duration.ofDays(30), 10_000, 10_000);

  public OutboxLimits {
    if (keepDelivered.isNegative() || keepDead.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative");
    }
    if (maxClosedEvents < 0 || maxPendingEvents < 1) {
      throw new IllegalArgumentException("maxClosedEvents >= 0 and maxPendingEvents >= 1");
    }
  }
}
