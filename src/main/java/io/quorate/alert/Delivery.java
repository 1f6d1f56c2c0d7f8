package io.quorate.alert;

import java.time.Instant;
import java.util.Locale;

/**
 * One event's delivery to one channel, as the outbox holds it.
 *
 * @param id the delivery's id in the store
 * @param channelId the channel
 * @param state where it stands
 * @param attempts attempts made since it was raised or last replayed
 * @param lastStatus the last attempt's HTTP status or SMTP code, -1 without one or none yet
 * @param lastDetail the last attempt's (or decision's) short reason, or {@code null}
 * @param lastAttemptAt when the last attempt ended, or {@code null}
 * @param nextAttemptAt when it is due next (pending only), else {@code null}
 * @param closedAt when it left the pending state, or {@code null}
 * @param closedBy for {@code delivered-elsewhere}: the region (or reason) that delivered it
 */
public record Delivery(
    long id,
    String channelId,
    State state,
    int attempts,
    int lastStatus,
    String lastDetail,
    Instant lastAttemptAt,
    Instant nextAttemptAt,
    Instant closedAt,
    String closedBy) {

  /** The life of a delivery: pending until delivered (here or elsewhere), dead, or disabled. */
  public enum State {
    PENDING,
    DELIVERED,
    DELIVERED_ELSEWHERE,
    /** Gave up (retry period over, a permanent failure, the endpoint gone): replayable. */
    DEAD,
    /** Raised while its channel was disabled (410 Gone): never attempted; replayable. */
    DISABLED;

    /** {@code pending}, {@code delivered}, {@code delivered-elsewhere}, {@code dead}, … */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static State fromWire(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }
}
