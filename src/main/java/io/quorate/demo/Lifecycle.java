package io.quorate.demo;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Runs a server's start and stop operations one after the other, in call order, whatever thread
 * calls: a stop asked while a start is still binding waits for it, so the two never interleave. A
 * failed operation does not block the next one.
 */
final class Lifecycle {
  private Future<Void> tail = Future.succeededFuture();

  /** Runs {@code op} once every earlier operation has completed; completes with its outcome. */
  synchronized Future<Void> then(Supplier<Future<Void>> op) {
    Future<Void> next = tail.transform(ar -> op.get());
    tail = next.otherwiseEmpty();
    return next;
  }
}
