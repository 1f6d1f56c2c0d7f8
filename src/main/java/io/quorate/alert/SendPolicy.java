package io.quorate.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether this agent should attempt a delivery now (RELIABILITY promise 5 and issue 6, "who
 * sends"): the agent allowed to act sends at once; the next agents in writer rank send only if,
 * after their standby delay, no delivery receipt for that event and channel arrived through the
 * mesh; an agent that is not quorate sends only events about itself being cut off.
 */
public interface SendPolicy {

  /** Decides for one pending delivery of {@code event} to {@code channelId}. */
  Decision decide(AlertEvent event, String channelId, Instant raisedAt);

  /** This agent delivered {@code eventId} to {@code channelId}: tell the peers (a receipt). */
  void delivered(String eventId, String channelId);

  /** Every delivery is attempted at once (a single agent, tests). */
  SendPolicy ALWAYS =
      new SendPolicy() {
        @Override
        public Decision decide(AlertEvent event, String channelId, Instant raisedAt) {
          return Decision.SEND;
        }

        @Override
        public void delivered(String eventId, String channelId) {}
      };

  /**
   * SEND now; WAIT until an instant (then ask again); SKIP: another region delivered it (the
   * delivery is closed as delivered elsewhere).
   *
   * @param reason for WAIT and SKIP, why (shown in {@code /api/v1/alerts})
   */
  record Decision(Kind kind, Instant until, String reason) {
    public static final Decision SEND = new Decision(Kind.SEND, null, null);

    public Decision {
      Objects.requireNonNull(kind, "kind");
    }

    public static Decision waitUntil(Instant until, String reason) {
      return new Decision(Kind.WAIT, Objects.requireNonNull(until), reason);
    }

    public static Decision skip(String reason) {
      return new Decision(Kind.SKIP, null, reason);
    }

    /** The three answers. */
    public enum Kind {
      SEND,
      WAIT,
      SKIP
    }
  }
}
