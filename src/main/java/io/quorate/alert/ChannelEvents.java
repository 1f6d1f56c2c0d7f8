package io.quorate.alert;

import java.time.Instant;
import java.util.Map;

/** Events the outbox itself raises about its channels. */
final class ChannelEvents {
  /** The kind of the event raised when a 410 Gone disables a channel. */
  static final String DISABLED_KIND = "channel.disabled";

  private ChannelEvents() {}

  /**
   * A channel answered 410 Gone to delivery {@code d}: the id derives from the channel and the
   * event that met the 410, so every region that meets it raises the same id.
   */
  static AlertEvent disabled(Outbox.Due d, DeliveryResult r, Instant now) {
    return new AlertEvent(
        "evt_channel-disabled_" + d.channelId() + "_" + d.event().id(),
        DISABLED_KIND,
        AlertEvent.Severity.CRITICAL,
        d.channelId(),
        null,
        "Alert channel " + d.channelId() + " disabled: its endpoint answered 410 Gone",
        Map.of(
            "channel", d.channelId(),
            "eventId", d.event().id(),
            "status", Integer.toString(r.status()),
            "detail", r.detail() == null ? "" : r.detail()),
        now,
        d.event().region(),
        "channel:" + d.channelId(),
        false);
  }
}
