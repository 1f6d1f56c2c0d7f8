package io.quorate.alert;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link ChannelSender} that answers from a script (one result per attempt, the last one repeated
 * until more are added), or holds every attempt open until the test releases it; records every
 * attempt.
 */
final class ScriptedSender implements ChannelSender {
  /** One attempt as the sender saw it. */
  record Call(String eventId, int attempt) {}

  private final String channelId;
  private final Deque<DeliveryResult> script = new ArrayDeque<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<Promise<DeliveryResult>> held = new ArrayList<>();
  private boolean hold;
  private DeliveryResult last;

  ScriptedSender(String channelId, DeliveryResult... results) {
    this.channelId = channelId;
    script.addAll(List.of(results));
  }

  /** From now on attempts stay open until {@link #releaseAll}. */
  synchronized ScriptedSender holding() {
    hold = true;
    return this;
  }

  synchronized void then(DeliveryResult... results) {
    script.addAll(List.of(results));
  }

  @Override
  public String channelId() {
    return channelId;
  }

  @Override
  public synchronized Future<DeliveryResult> send(AlertEvent event, int attempt) {
    calls.add(new Call(event.id(), attempt));
    if (hold) {
      Promise<DeliveryResult> p = Promise.promise();
      held.add(p);
      return p.future();
    }
    if (!script.isEmpty()) {
      last = script.poll();
    }
    return Future.succeededFuture(last);
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized int heldCount() {
    return held.size();
  }

  /** Completes every held attempt with {@code r}. */
  void releaseAll(DeliveryResult r) {
    List<Promise<DeliveryResult>> now;
    synchronized (this) {
      hold = false;
      now = List.copyOf(held);
      held.clear();
    }
    now.forEach(p -> p.complete(r));
  }
}
