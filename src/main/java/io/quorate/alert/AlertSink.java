package io.quorate.alert;

import io.vertx.core.Future;
import java.util.List;

/** Where routed events go: the outbox, which stores them before they count as raised. */
public interface AlertSink {
  /**
   * Stores {@code event} with one pending delivery per channel (none: history only); completes with
   * {@code false} when an event with that id is already stored.
   */
  Future<Boolean> raise(AlertEvent event, List<String> channels);
}
