package io.quorate.alert;

import io.vertx.core.Future;

/**
 * Delivers events to one configured channel (a webhook endpoint, an email relay). Implementations
 * never block the event loop and their futures never fail: every problem is a {@link
 * DeliveryResult}.
 */
public interface ChannelSender {

  /** The channel's id from the config. */
  String channelId();

  /**
   * One attempt to deliver {@code event}; {@code attempt} counts from 1 (the payload and its
   * signature headers are the same on every attempt except for the timestamp).
   */
  Future<DeliveryResult> send(AlertEvent event, int attempt);
}
