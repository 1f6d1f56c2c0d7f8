package io.quorate.alert;

import static io.quorate.alert.OutboxFixture.await;
import static io.quorate.alert.OutboxFixture.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorate.alert.Delivery.State;
import io.quorate.testsupport.Closers;
import io.quorate.testsupport.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Dispatcher#reconfigure} (ADR 0017 amendment) against a real SQLite outbox and scripted
 * senders held open by the test: an attempt in flight finishes with the sender it started with, a
 * changed channel's pending deliveries go through the new sender, a removed channel's pending
 * deliveries are dead-lettered with "channel removed by reload" without an attempt.
 */
class DispatcherReloadTest {
  @TempDir Path dir;
  final Closers closers = new Closers();
  OutboxFixture f;

  @AfterEach
  void close() throws Exception {
    closers.close();
  }

  /**
   * Opens the outbox and deploys a dispatcher: one delivery in flight per channel, a timer that
   * never fires during the test.
   */
  Dispatcher deploy(ChannelSender... senders) throws Exception {
    f = closers.keep(new OutboxFixture(dir));
    Dispatcher.Settings s =
        new Dispatcher.Settings(
            3_600_000, 64, 1, 5_000, 3_600_000, RetrySchedule.DEFAULT, f.clock, new Random(7));
    Dispatcher d = new Dispatcher(f.outbox, List.of(senders), SendPolicy.ALWAYS, e -> {}, s);
    await(f.vertx.deployVerticle(d));
    return d;
  }

  /**
   * Raises {@code id} for {@code channel} and waits until {@code held} holds that many attempts.
   */
  void raiseHeld(Dispatcher d, String id, String channel, ScriptedSender held, int n)
      throws Exception {
    await(d.raise(event(id), List.of(channel)));
    Poll.until(Duration.ofSeconds(5), n + " attempts held", held::heldCount, c -> c == n);
  }

  @Test
  void aChangedChannelsPendingDeliveryGoesToTheNewSenderWhileTheInFlightOneFinishesWithTheOld()
      throws Exception {
    ScriptedSender old = new ScriptedSender("hook").holding();
    Dispatcher d = deploy(old);
    raiseHeld(d, "evt_a", "hook", old, 1);
    await(f.outbox.raise(event("evt_b"), List.of("hook"))); // waits: one in flight per channel
    ScriptedSender rotated = new ScriptedSender("hook", DeliveryResult.delivered(200));

    assertEquals(0, await(d.reconfigure(List.of(rotated), RetrySchedule.DEFAULT)));
    old.releaseAll(DeliveryResult.delivered(202));
    Poll.until(
        Duration.ofSeconds(5),
        "evt_a recorded",
        () -> state("evt_a", "hook"),
        s -> s == State.DELIVERED);
    assertEquals(202, f.delivery("evt_a", "hook").lastStatus(), "the old sender's answer");
    assertEquals(1, await(d.runOnce()));

    assertEquals(List.of(new ScriptedSender.Call("evt_a", 1)), old.calls());
    assertEquals(List.of(new ScriptedSender.Call("evt_b", 1)), rotated.calls());
    assertEquals(State.DELIVERED, state("evt_b", "hook"));
    assertEquals(200, f.delivery("evt_b", "hook").lastStatus());
  }

  @Test
  void aRemovedChannelsPendingDeliveriesAreDeadLetteredAndItsInFlightAttemptIsRecorded()
      throws Exception {
    ScriptedSender gone = new ScriptedSender("gone").holding();
    ScriptedSender stay = new ScriptedSender("stay", DeliveryResult.delivered(200));
    Dispatcher d = deploy(gone, stay);
    raiseHeld(d, "evt_a", "gone", gone, 1);
    await(f.outbox.raise(event("evt_b"), List.of("gone", "stay")));

    assertEquals(
        1, await(d.reconfigure(List.of(stay), RetrySchedule.DEFAULT)), "evt_b's, not evt_a's");
    Delivery b = f.delivery("evt_b", "gone");
    assertEquals(State.DEAD, b.state());
    assertEquals(Outbox.REMOVED_BY_RELOAD, b.lastDetail());
    assertEquals(0, b.attempts(), "no attempt was made");
    assertEquals(State.PENDING, state("evt_a", "gone"), "in flight: not touched");

    gone.releaseAll(DeliveryResult.retry(503, -1, "HTTP 503"));
    Poll.until(
        Duration.ofSeconds(5),
        "evt_a's attempt recorded",
        () -> attempts("evt_a", "gone"),
        n -> n == 1);
    assertEquals(State.PENDING, state("evt_a", "gone"), "retry scheduled by the old attempt");
    Instant next = f.delivery("evt_a", "gone").nextAttemptAt();
    f.clock.set(next);
    assertEquals(2, await(d.runOnce()), "evt_a (gone) and evt_b (stay) are due");

    Delivery a = f.delivery("evt_a", "gone");
    assertEquals(State.DEAD, a.state());
    assertEquals(Outbox.REMOVED_BY_RELOAD, a.lastDetail());
    assertNull(a.nextAttemptAt());
    assertEquals(List.of(new ScriptedSender.Call("evt_a", 1)), gone.calls(), "no more attempts");
    assertEquals(State.DELIVERED, state("evt_b", "stay"));
  }

  @Test
  void aReAddedChannelIsDeliveredAgainAndReplayReopensWhatTheRemovalDeadLettered()
      throws Exception {
    ScriptedSender first = new ScriptedSender("hook", DeliveryResult.delivered(200));
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.delivered(200));
    Dispatcher d = deploy(first);
    await(f.outbox.raise(event("evt_a"), List.of("hook"))); // no round runs before the removal
    assertEquals(1, await(d.reconfigure(List.of(), RetrySchedule.DEFAULT)));
    assertEquals(State.DEAD, state("evt_a", "hook"));

    assertEquals(0, await(d.reconfigure(List.of(hook), RetrySchedule.DEFAULT)));
    assertEquals(1, await(f.outbox.replay("evt_a")).reopened());
    assertEquals(1, await(d.runOnce()));
    assertEquals(State.DELIVERED, state("evt_a", "hook"));
    assertEquals(List.of(new ScriptedSender.Call("evt_a", 1)), hook.calls());
    assertEquals(List.of(), first.calls());
  }

  private State state(String id, String channel) {
    try {
      return f.delivery(id, channel).state();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private int attempts(String id, String channel) {
    try {
      return f.delivery(id, channel).attempts();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
