package io.quorate.alert;

import java.time.Instant;
import java.util.List;

/**
 * An event as the outbox holds it, with the state of each of its deliveries.
 *
 * @param event the event
 * @param raisedAt when it was accepted into the outbox (by this agent's clock)
 * @param deliveries one per channel it was routed to (ordered by channel id)
 */
public record OutboxEvent(AlertEvent event, Instant raisedAt, List<Delivery> deliveries) {
  public OutboxEvent {
    deliveries = List.copyOf(deliveries);
  }
}
