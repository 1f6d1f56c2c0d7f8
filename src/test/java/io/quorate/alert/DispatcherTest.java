package io.quorate.alert;

import static io.quorate.alert.OutboxFixture.await;
import static io.quorate.alert.OutboxFixture.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.alert.Delivery.State;
import io.quorate.store.StoreException;
import io.quorate.testsupport.Poll;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher against a real SQLite outbox, scripted senders, a clock the test moves and a
 * seeded random: rounds are driven by {@link Dispatcher#runOnce()} (the timer is an hour).
 */
class DispatcherTest {
  static final long SEED = 42;
  @TempDir Path dir;
  OutboxFixture f;
  final List<AlertEvent> disabledEvents = new CopyOnWriteArrayList<>();
  final List<String> receipts = new CopyOnWriteArrayList<>();

  final SendPolicy recording =
      new SendPolicy() {
        @Override
        public Decision decide(AlertEvent event, String channelId, Instant raisedAt) {
          return Decision.SEND;
        }

        @Override
        public void delivered(String eventId, String channelId) {
          receipts.add(eventId + "/" + channelId);
        }
      };

  @BeforeEach
  void open() throws Exception {
    f = new OutboxFixture(dir);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  Dispatcher.Settings settings(RetrySchedule retry, int perChannel) {
    return new Dispatcher.Settings(
        3_600_000, 64, perChannel, 2_000, 3_600_000, retry, f.clock, new Random(SEED));
  }

  /** A dispatcher with the default retry schedule and the recording policy, not deployed. */
  Dispatcher create(ChannelSender sender) {
    return new Dispatcher(
        f.outbox,
        List.of(sender),
        recording,
        disabledEvents::add,
        settings(RetrySchedule.DEFAULT, 4));
  }

  Dispatcher deploy(Dispatcher.Settings s, SendPolicy policy, ChannelSender... senders)
      throws Exception {
    Dispatcher d = new Dispatcher(f.outbox, List.of(senders), policy, disabledEvents::add, s);
    await(f.vertx.deployVerticle(d));
    return d;
  }

  @Test
  void retriesWithFullJitterWithinTheCeilingThenDeadLettersAfterRetryFor() throws Exception {
    RetrySchedule retry = new RetrySchedule(1_000, 8_000, 3_600_000, 60_000);
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.retry(503, -1, "HTTP 503"));
    Dispatcher d = deploy(settings(retry, 4), recording, hook);
    Instant t0 = f.clock.instant();
    await(f.outbox.raise(event("evt_a"), List.of("hook")));
    Random replica = new Random(SEED);
    int attempt = 0;
    while (true) {
      assertEquals(1, await(d.runOnce()), "attempt " + (attempt + 1) + " is due");
      attempt++;
      long delay = replica.nextLong(retry.ceilingMs(attempt) + 1);
      Instant expected = f.clock.instant().plusMillis(delay);
      Delivery now = f.delivery("evt_a", "hook");
      assertEquals(attempt, now.attempts());
      assertEquals(503, now.lastStatus());
      if (expected.isAfter(t0.plusMillis(60_000))) {
        assertEquals(State.DEAD, now.state());
        assertEquals("retry period over: HTTP 503", now.lastDetail());
        assertNull(now.nextAttemptAt());
        break;
      }
      assertEquals(State.PENDING, now.state());
      assertEquals(expected, now.nextAttemptAt(), "attempt " + attempt);
      assertTrue(delay <= Math.min(8_000, 1_000L << (attempt - 1)), "within the ceiling");
      if (delay > 0) {
        f.clock.set(expected.minusMillis(1));
        assertEquals(0, await(d.runOnce()), "not due 1 ms early");
      }
      f.clock.set(expected);
    }
    assertEquals(attempt, hook.calls().size());
    assertTrue(attempt >= 9, "a minute of retries capped at 8 s: " + attempt + " attempts");
    assertEquals(
        List.of(1, 2, 3), hook.calls().subList(0, 3).stream().map(c -> c.attempt()).toList());
    assertEquals(1, await(f.outbox.dead(10)).size());
    assertEquals(List.of(), receipts);
  }

  @Test
  void metricsCountEventsAttemptsByOutcomeAndReadTheBacklog() throws Exception {
    await(f.outbox.raise(event("evt_old"), List.of("hook")));
    io.micrometer.core.instrument.simple.SimpleMeterRegistry reg =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    ScriptedSender hook =
        new ScriptedSender(
            "hook",
            DeliveryResult.retry(503, -1, "HTTP 503"),
            DeliveryResult.delivered(200),
            DeliveryResult.delivered(200));
    Dispatcher d = create(hook).metrics(new AlertMetrics(reg, "eu-west"));
    await(f.vertx.deployVerticle(d));
    Poll.until(
        Duration.ofSeconds(5),
        "the backlog read at start",
        () -> reg.get("quorate.alert.outbox.pending").gauge().value(),
        v -> v == 1.0);
    assertTrue(await(d.raise(event("evt_new"), List.of("hook"))));
    assertTrue(!await(d.raise(event("evt_new"), List.of("hook"))), "a duplicate is not stored");
    Poll.until(
        Duration.ofSeconds(5), "both first attempts recorded", () -> attempts(reg), n -> n == 2);
    f.clock.set(f.clock.instant().plusSeconds(3_600));
    await(d.runOnce()); // the retried one is due now
    Poll.until(Duration.ofSeconds(5), "the retry recorded", () -> attempts(reg), n -> n == 3);
    assertEquals(
        1.0, reg.get("quorate.alert.events").tag("kind", "verdict.down").counter().count());
    assertEquals(
        1.0, reg.get("quorate.alert.delivery.attempts").tag("outcome", "retry").counter().count());
    assertEquals(
        2.0,
        reg.get("quorate.alert.delivery.attempts")
            .tags("channel", "hook", "outcome", "delivered", "region", "eu-west")
            .counter()
            .count());
  }

  private static double attempts(io.micrometer.core.instrument.MeterRegistry reg) {
    return reg.find("quorate.alert.delivery.attempts").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void retryAfterIsHonouredAndCappedAtOneHour() throws Exception {
    ScriptedSender hook =
        new ScriptedSender(
            "hook",
            DeliveryResult.retry(429, 30_000, "HTTP 429"),
            DeliveryResult.retry(503, 7_200_000, "HTTP 503"),
            DeliveryResult.delivered(200));
    Dispatcher d = deploy(settings(RetrySchedule.DEFAULT, 4), recording, hook);
    await(f.outbox.raise(event("evt_a"), List.of("hook")));
    assertEquals(1, await(d.runOnce()));
    Instant first = f.clock.instant();
    assertEquals(first.plusSeconds(30), f.delivery("evt_a", "hook").nextAttemptAt());
    f.clock.advance(Duration.ofSeconds(29));
    assertEquals(0, await(d.runOnce()), "not before Retry-After");
    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(1, await(d.runOnce()));
    assertEquals(f.clock.instant().plusSeconds(3_600), f.delivery("evt_a", "hook").nextAttemptAt());
    f.clock.advance(Duration.ofHours(1));
    assertEquals(1, await(d.runOnce()));
    Delivery done = f.delivery("evt_a", "hook");
    assertEquals(State.DELIVERED, done.state());
    assertEquals(3, done.attempts());
    assertEquals(List.of("evt_a/hook"), receipts, "a receipt for the peers");
  }

  @Test
  void stopWaitsForTheDeliveryInFlightAndRecordsIt() throws Exception {
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.delivered(200)).holding();
    Dispatcher d = create(hook);
    String id = await(f.vertx.deployVerticle(d));
    await(f.outbox.raise(event("evt_a"), List.of("hook")));
    d.runOnce(); // completes only when the attempt does
    io.quorate.testsupport.Poll.until(
        Duration.ofSeconds(10), "the attempt in flight", hook::heldCount, n -> n == 1);
    io.vertx.core.Future<Void> undeployed = f.vertx.undeploy(id);
    assertEquals(State.PENDING, f.delivery("evt_a", "hook").state());
    assertFalse(undeployed.isComplete(), "the stop waits for the attempt in flight");
    hook.releaseAll(DeliveryResult.delivered(200));
    await(undeployed);
    assertEquals(State.DELIVERED, f.delivery("evt_a", "hook").state(), "recorded before stopped");
    assertEquals(1, hook.calls().size());
  }

  @Test
  void goneDisablesTheChannelDeadLettersItsOtherDeliveriesAndRaisesOneEvent() throws Exception {
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.gone("HTTP 410"));
    ScriptedSender mail = new ScriptedSender("mail", DeliveryResult.delivered(250));
    Dispatcher d = deploy(settings(RetrySchedule.DEFAULT, 1), recording, hook, mail);
    await(f.outbox.raise(event("evt_1"), List.of("hook", "mail")));
    f.clock.advanceMs(1);
    await(f.outbox.raise(event("evt_2"), List.of("hook")));
    assertEquals(2, await(d.runOnce()), "evt_1 to hook and to mail (one per channel)");
    assertEquals(State.DEAD, f.delivery("evt_1", "hook").state());
    assertEquals(410, f.delivery("evt_1", "hook").lastStatus());
    Delivery other = f.delivery("evt_2", "hook");
    assertEquals(State.DEAD, other.state());
    assertEquals(0, other.attempts());
    assertEquals("endpoint gone: HTTP 410", other.lastDetail());
    assertEquals(State.DELIVERED, f.delivery("evt_1", "mail").state());
    assertEquals(1, disabledEvents.size());
    AlertEvent e = disabledEvents.get(0);
    assertEquals("evt_channel-disabled_hook_evt_1", e.id());
    assertEquals("channel.disabled", e.kind());
    assertEquals("hook", e.subject());
    assertEquals(AlertEvent.Severity.CRITICAL, e.severity());
    assertEquals("evt_1", e.details().get("eventId"));
    // the disabled channel is never attempted again
    await(f.outbox.raise(event("evt_3"), List.of("hook")));
    assertEquals(State.DISABLED, f.delivery("evt_3", "hook").state());
    assertEquals(0, await(d.runOnce()));
    assertEquals(1, hook.calls().size());
  }

  @Test
  void failedIsDeadAtOnceAndReplayDeliversIt() throws Exception {
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.failed(400, "HTTP 400"));
    Dispatcher d = deploy(settings(RetrySchedule.DEFAULT, 4), recording, hook);
    await(f.outbox.raise(event("evt_a"), List.of("hook", "nowhere")));
    assertEquals(2, await(d.runOnce()));
    Delivery dead = f.delivery("evt_a", "hook");
    assertEquals(State.DEAD, dead.state());
    assertEquals(1, dead.attempts());
    assertEquals("HTTP 400", dead.lastDetail());
    Delivery nowhere = f.delivery("evt_a", "nowhere");
    assertEquals(State.DEAD, nowhere.state());
    assertEquals("no channel 'nowhere' is configured", nowhere.lastDetail());
    f.clock.advance(Duration.ofDays(2));
    assertEquals(0, await(d.runOnce()), "dead letters stay dead");

    hook.then(DeliveryResult.delivered(204));
    assertEquals(new Outbox.Replay(true, 2), await(f.outbox.replay("evt_a")));
    assertEquals(2, await(d.runOnce()));
    Delivery replayed = f.delivery("evt_a", "hook");
    assertEquals(State.DELIVERED, replayed.state());
    assertEquals(1, replayed.attempts(), "attempts were reset by the replay");
    assertEquals(List.of(1, 1), hook.calls().stream().map(c -> c.attempt()).toList());
  }

  @Test
  void waitDefersAndSkipClosesAsDeliveredElsewhere() throws Exception {
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.delivered(200));
    ScriptedSender mail = new ScriptedSender("mail", DeliveryResult.delivered(250));
    Instant until = f.clock.instant().plusSeconds(10);
    SendPolicy standby =
        new SendPolicy() {
          @Override
          public Decision decide(AlertEvent event, String channelId, Instant raisedAt) {
            if (channelId.equals("mail")) {
              return Decision.skip("us-east delivered it");
            }
            return f.clock.instant().isBefore(until)
                ? Decision.waitUntil(until, "standby of rank 2")
                : Decision.SEND;
          }

          @Override
          public void delivered(String eventId, String channelId) {
            receipts.add(eventId + "/" + channelId);
          }
        };
    Dispatcher d = deploy(settings(RetrySchedule.DEFAULT, 4), standby, hook, mail);
    await(f.outbox.raise(event("evt_a"), List.of("hook", "mail")));
    assertEquals(2, await(d.runOnce()));
    Delivery waiting = f.delivery("evt_a", "hook");
    assertEquals(State.PENDING, waiting.state());
    assertEquals(0, waiting.attempts());
    assertEquals(until, waiting.nextAttemptAt());
    assertEquals("waiting: standby of rank 2", waiting.lastDetail());
    Delivery skipped = f.delivery("evt_a", "mail");
    assertEquals(State.DELIVERED_ELSEWHERE, skipped.state());
    assertEquals("us-east delivered it", skipped.closedBy());
    assertEquals(List.of(), hook.calls());
    assertEquals(List.of(), mail.calls());
    f.clock.set(until);
    assertEquals(1, await(d.runOnce()));
    assertEquals(State.DELIVERED, f.delivery("evt_a", "hook").state());
    assertEquals(List.of("evt_a/hook"), receipts);
  }

  @Test
  void inFlightIsBoundedPerChannel() throws Exception {
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.delivered(200)).holding();
    ScriptedSender mail = new ScriptedSender("mail", DeliveryResult.delivered(250)).holding();
    Dispatcher d = deploy(settings(RetrySchedule.DEFAULT, 4), recording, hook, mail);
    for (int i = 0; i < 10; i++) {
      await(f.outbox.raise(event("evt_" + i), i < 3 ? List.of("hook", "mail") : List.of("hook")));
    }
    Future<Integer> first = d.runOnce();
    Poll.until(
        Duration.ofSeconds(10),
        "4 hook and 3 mail attempts in flight",
        () -> hook.heldCount() + "/" + mail.heldCount(),
        "4/3"::equals);
    assertEquals(0, await(d.runOnce()), "hook is at its bound, mail has nothing else due");
    assertEquals(4, hook.heldCount());
    hook.releaseAll(DeliveryResult.delivered(200));
    mail.releaseAll(DeliveryResult.delivered(250));
    assertEquals(7, await(first));
    assertEquals(4, await(d.runOnce()));
    assertEquals(2, await(d.runOnce()));
    assertEquals(0, await(d.runOnce()));
    assertEquals(10, hook.calls().size());
    assertEquals(13, receipts.size());
  }

  @Test
  void aSenderThatNeverAnswersIsARetryAfterTheSendLimit() throws Exception {
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.delivered(200)).holding();
    Dispatcher d = deploy(settings(RetrySchedule.DEFAULT, 4), recording, hook);
    await(f.outbox.raise(event("evt_a"), List.of("hook")));
    assertEquals(1, await(d.runOnce()), "recorded after the 2 s send limit");
    Delivery late = f.delivery("evt_a", "hook");
    assertEquals(State.PENDING, late.state());
    assertEquals(1, late.attempts());
    assertEquals(-1, late.lastStatus());
    assertTrue(late.lastDetail().startsWith("sender: "), late.lastDetail());
    assertTrue(late.lastDetail().contains("Timeout"), late.lastDetail());
  }

  @Test
  void raisingThroughTheDispatcherSendsAtOnce() throws Exception {
    ScriptedSender hook = new ScriptedSender("hook", DeliveryResult.delivered(200));
    Dispatcher d = deploy(settings(RetrySchedule.DEFAULT, 4), recording, hook);
    assertTrue(await(d.raise(event("evt_a"), List.of("hook"))));
    Poll.until(
        Duration.ofSeconds(10),
        "evt_a delivered without a timer tick",
        () -> receipts.size(),
        n -> n == 1);
    assertEquals(State.DELIVERED, f.delivery("evt_a", "hook").state());
    assertEquals(false, await(d.raise(event("evt_a"), List.of("hook"))), "deduplicated");
  }

  @Test
  void deploymentFailsWhenTheStoreCannotBeUsed() throws Exception {
    await(f.db.close());
    Dispatcher d =
        new Dispatcher(
            f.outbox,
            List.of(),
            recording,
            disabledEvents::add,
            settings(RetrySchedule.DEFAULT, 4));
    StoreException e = assertThrows(StoreException.class, () -> await(f.vertx.deployVerticle(d)));
    assertEquals(StoreException.Kind.CLOSED, e.kind());
    assertEquals(0, f.vertx.deploymentIDs().size());
  }
}
