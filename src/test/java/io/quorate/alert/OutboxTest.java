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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on a real SQLite file: atomic raise, dedupe, states, replay, retention. */
class OutboxTest {
  @TempDir Path dir;

  @Test
  void raiseStoresTheEventAndOneDeliveryPerChannelAndADuplicateIdIsANoOp() throws Exception {
    try (OutboxFixture f = new OutboxFixture(dir)) {
      Instant t0 = f.clock.instant();
      assertTrue(await(f.outbox.raise(event("evt_a"), List.of("hook", "mail", "hook"))));
      OutboxEvent stored = await(f.outbox.find("evt_a"));
      assertEquals(event("evt_a"), stored.event(), "every field round-trips");
      assertEquals(t0, stored.raisedAt());
      assertEquals(
          List.of("hook", "mail"), stored.deliveries().stream().map(Delivery::channelId).toList());
      for (Delivery d : stored.deliveries()) {
        assertEquals(State.PENDING, d.state());
        assertEquals(0, d.attempts());
        assertEquals(t0, d.nextAttemptAt());
        assertEquals(-1, d.lastStatus());
      }
      f.clock.advanceMs(5_000);
      assertFalse(await(f.outbox.raise(event("evt_a"), List.of("pager"))));
      assertEquals(stored, await(f.outbox.find("evt_a")), "the duplicate changed nothing");
    }
  }

  @Test
  void raiseIsAtomic() throws Exception {
    try (OutboxFixture f = new OutboxFixture(dir)) {
      // a trigger makes the second delivery's insert fail inside the raise transaction
      await(
          f.db.transaction(
              c -> {
                try (Statement s = c.createStatement()) {
                  s.executeUpdate(
                      "CREATE TRIGGER boom BEFORE INSERT ON alert_deliveries"
                          + " WHEN NEW.channel_id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");
                }
                return null;
              }));
      StoreException e =
          assertThrows(
              StoreException.class,
              () -> await(f.outbox.raise(event("evt_x"), List.of("hook", "boom"))));
      assertTrue(e.getMessage().contains("boom"), e.getMessage());
      assertNull(await(f.outbox.find("evt_x")), "no event without its deliveries");
      assertEquals(List.of(), await(f.outbox.recent(10)));
      assertTrue(await(f.outbox.raise(event("evt_x"), List.of("hook"))), "nothing was left");
    }
  }

  @Test
  void raiseIsRefusedWhileTooManyEventsArePending() throws Exception {
    OutboxLimits two = new OutboxLimits(Duration.ofDays(7), Duration.ofDays(30), 100, 2);
    try (OutboxFixture f = new OutboxFixture(dir, two)) {
      await(f.outbox.raise(event("evt_1"), List.of("hook")));
      await(f.outbox.raise(event("evt_2"), List.of("hook")));
      StoreException e =
          assertThrows(
              StoreException.class, () -> await(f.outbox.raise(event("evt_3"), List.of("hook"))));
      assertEquals(StoreException.Kind.FULL, e.kind());
      assertEquals("outbox holds 2 pending events (limit); refusing evt_3", e.getMessage());
      long id = f.delivery("evt_1", "hook").id();
      await(f.outbox.attempted(id, DeliveryResult.delivered(200), null));
      assertTrue(await(f.outbox.raise(event("evt_3"), List.of("hook"))));
    }
  }

  @Test
  void dueIsEarliestFirstBoundedPerChannelAndInTotal() throws Exception {
    try (OutboxFixture f = new OutboxFixture(dir)) {
      for (int i = 0; i < 6; i++) {
        await(f.outbox.raise(event("evt_" + i), List.of("hook", "mail")));
        f.clock.advanceMs(1_000);
      }
      Instant now = f.clock.instant();
      List<Outbox.Due> two = await(f.outbox.due(now, 100, 2));
      assertEquals(
          List.of("evt_0/hook", "evt_0/mail", "evt_1/hook", "evt_1/mail"),
          two.stream().map(d -> d.event().id() + "/" + d.channelId()).toList());
      assertEquals(3, await(f.outbox.due(now, 3)).size());
      assertEquals(2, await(f.outbox.due(Instant.parse("2026-11-22T00:00:00.500Z"), 100)).size());
      long id = f.delivery("evt_0", "hook").id();
      await(f.outbox.deferred(id, now.plusSeconds(60), "standby"));
      assertEquals(11, await(f.outbox.due(now, 100)).size());
      Delivery waiting = f.delivery("evt_0", "hook");
      assertEquals(now.plusSeconds(60), waiting.nextAttemptAt());
      assertEquals(0, waiting.attempts());
      assertEquals("standby", waiting.lastDetail());
    }
  }

  @Test
  void attemptsMoveDeliveriesBetweenStates() throws Exception {
    try (OutboxFixture f = new OutboxFixture(dir)) {
      await(f.outbox.raise(event("evt_a"), List.of("hook", "mail", "pager", "slack")));
      Instant next = f.clock.instant().plusSeconds(3);
      await(f.outbox.attempted(id(f, "hook"), DeliveryResult.retry(503, 2_000, "busy"), next));
      await(f.outbox.attempted(id(f, "mail"), DeliveryResult.delivered(250), null));
      await(f.outbox.attempted(id(f, "pager"), DeliveryResult.failed(400, "bad key"), null));
      await(f.outbox.attempted(id(f, "slack"), DeliveryResult.retry(500, -1, "oops"), null));
      Delivery hook = f.delivery("evt_a", "hook");
      assertEquals(State.PENDING, hook.state());
      assertEquals(1, hook.attempts());
      assertEquals(503, hook.lastStatus());
      assertEquals(next, hook.nextAttemptAt());
      assertEquals(State.DELIVERED, f.delivery("evt_a", "mail").state());
      Delivery pager = f.delivery("evt_a", "pager");
      assertEquals(State.DEAD, pager.state());
      assertEquals("bad key", pager.lastDetail());
      Delivery slack = f.delivery("evt_a", "slack");
      assertEquals(State.DEAD, slack.state());
      assertEquals("retry period over: oops", slack.lastDetail());
      assertNull(slack.nextAttemptAt());
      // dead letters: the event with only its dead deliveries
      List<OutboxEvent> dead = await(f.outbox.dead(10));
      assertEquals(1, dead.size());
      assertEquals(
          List.of("pager", "slack"),
          dead.get(0).deliveries().stream().map(Delivery::channelId).toList());
    }
  }

  @Test
  void aReceiptFromAnotherRegionClosesTheDelivery() throws Exception {
    try (OutboxFixture f = new OutboxFixture(dir)) {
      await(f.outbox.raise(event("evt_a"), List.of("hook", "mail")));
      assertTrue(await(f.outbox.closedElsewhere("evt_a", "hook", "us-east")));
      assertFalse(await(f.outbox.closedElsewhere("evt_a", "hook", "us-east")), "already closed");
      assertFalse(await(f.outbox.closedElsewhere("evt_zz", "hook", "us-east")), "unknown");
      Delivery hook = f.delivery("evt_a", "hook");
      assertEquals(State.DELIVERED_ELSEWHERE, hook.state());
      assertEquals("us-east", hook.closedBy());
      assertEquals(f.clock.instant(), hook.closedAt());
      assertEquals(1, await(f.outbox.due(f.clock.instant(), 10)).size(), "only mail is due");
    }
  }

  @Test
  void replayReopensDeadAndDisabledDeliveriesAndReenablesTheirChannel() throws Exception {
    try (OutboxFixture f = new OutboxFixture(dir)) {
      await(f.outbox.raise(event("evt_a"), List.of("hook", "mail")));
      await(f.outbox.raise(event("evt_b"), List.of("hook")));
      await(f.outbox.attempted(id(f, "mail"), DeliveryResult.delivered(250), null));
      assertTrue(await(f.outbox.attempted(id(f, "hook"), DeliveryResult.gone("410 Gone"), null)));
      assertEquals(State.DEAD, f.delivery("evt_b", "hook").state());
      assertEquals("endpoint gone: 410 Gone", f.delivery("evt_b", "hook").lastDetail());
      await(f.outbox.raise(event("evt_c"), List.of("hook")));
      assertEquals(State.DISABLED, f.delivery("evt_c", "hook").state());
      assertEquals(
          "channel disabled: endpoint gone: 410 Gone", f.delivery("evt_c", "hook").lastDetail());

      assertEquals(new Outbox.Replay(false, 0), await(f.outbox.replay("evt_nope")));
      f.clock.advanceMs(60_000);
      assertEquals(new Outbox.Replay(true, 1), await(f.outbox.replay("evt_a")));
      assertEquals(new Outbox.Replay(true, 0), await(f.outbox.replay("evt_a")), "nothing dead now");
      Delivery hook = f.delivery("evt_a", "hook");
      assertEquals(State.PENDING, hook.state());
      assertEquals(0, hook.attempts());
      assertEquals(f.clock.instant(), hook.nextAttemptAt());
      assertEquals(State.DELIVERED, f.delivery("evt_a", "mail").state(), "delivered stays");
      List<Outbox.Due> due = await(f.outbox.due(f.clock.instant(), 10));
      assertEquals(1, due.size());
      assertEquals(f.clock.instant(), due.get(0).retryFrom(), "a fresh retry period");
      // the channel is enabled again: a new event gets a pending delivery
      await(f.outbox.raise(event("evt_d"), List.of("hook")));
      assertEquals(State.PENDING, f.delivery("evt_d", "hook").state());
      assertEquals(new Outbox.Replay(true, 1), await(f.outbox.replay("evt_c")));
    }
  }

  @Test
  void compactionKeepsDeliveredSevenDaysDeadThirtyAndPendingForever() throws Exception {
    try (OutboxFixture f = new OutboxFixture(dir)) {
      Instant t0 = f.clock.instant();
      raiseAndClose(f, "evt_delivered_old", DeliveryResult.delivered(200));
      raiseAndClose(f, "evt_dead_old", DeliveryResult.failed(400, "no"));
      await(f.outbox.raise(event("evt_pending_old"), List.of("hook")));
      await(f.outbox.raise(event("evt_nochannel_old"), List.of()));
      f.clock.set(t0.plus(Duration.ofDays(2)));
      raiseAndClose(f, "evt_delivered_new", DeliveryResult.delivered(200));
      raiseAndClose(f, "evt_dead_new", DeliveryResult.failed(400, "no"));

      assertEquals(0, await(f.outbox.compact(t0.plus(Duration.ofDays(7)))));
      assertEquals(2, await(f.outbox.compact(t0.plus(Duration.ofDays(7).plusMillis(1)))));
      assertEquals(
          ids("evt_dead_new", "evt_delivered_new", "evt_dead_old", "evt_pending_old"),
          recentIds(f));
      // 30 days: the old dead letter goes, and the newer delivered one (raised on day 2) too
      assertEquals(2, await(f.outbox.compact(t0.plus(Duration.ofDays(30).plusMillis(1)))));
      assertEquals(ids("evt_dead_new", "evt_pending_old"), recentIds(f));
      assertEquals(1, await(f.outbox.compact(t0.plus(Duration.ofDays(60)))));
      assertEquals(ids("evt_pending_old"), recentIds(f), "pending is never deleted");
      assertEquals(1, f.deliveries("evt_pending_old").size());
      // deliveries went with their events (ON DELETE CASCADE)
      assertEquals(
          "1",
          await(
              f.db.read(
                  c -> {
                    try (Statement s = c.createStatement();
                        var rs = s.executeQuery("SELECT count(*) FROM alert_deliveries")) {
                      rs.next();
                      return rs.getString(1);
                    }
                  })));
    }
  }

  @Test
  void compactionBoundsTheNumberOfClosedEventsAndTheFileStopsGrowing() throws Exception {
    OutboxLimits small = new OutboxLimits(Duration.ofDays(7), Duration.ofDays(30), 50, 1_000);
    try (OutboxFixture f = new OutboxFixture(dir, small)) {
      // the empty schema's pages (every table and index of every migration)
      long empty = pageCount(f);
      long[] sizes = new long[6];
      for (int round = 0; round < sizes.length; round++) {
        for (int i = 0; i < 200; i++) {
          f.clock.advanceMs(10);
          raiseAndClose(f, "evt_" + round + "_" + i, DeliveryResult.delivered(200));
        }
        if (round == 0) {
          f.clock.advanceMs(10);
          await(f.outbox.raise(event("evt_pending"), List.of("hook")));
        }
        int deleted = await(f.outbox.compact(f.clock.instant()));
        assertEquals(round == 0 ? 150 : 200, deleted, "round " + round);
        sizes[round] = pageCount(f);
      }
      List<OutboxEvent> kept = await(f.outbox.recent(1_000));
      assertEquals(51, kept.size(), "50 newest closed + the pending one");
      assertEquals("evt_5_199", kept.get(0).event().id());
      assertEquals("evt_5_150", kept.get(49).event().id());
      assertEquals("evt_pending", kept.get(50).event().id());
      String pages = java.util.Arrays.toString(sizes);
      // 1,200 events passed through; freed pages are reused, so the size levels off
      assertTrue(sizes[5] <= sizes[2] + 1, "the page count levels off: " + pages);
      assertTrue(
          sizes[5] <= empty + 25, "about 50 events' worth of pages over " + empty + ": " + pages);
      assertTrue(Files.size(f.db.file()) <= sizes[5] * 4096, "the file holds at most those pages");
    }
  }

  /** The database's size in pages, WAL content included (the file's size after a checkpoint). */
  private static long pageCount(OutboxFixture f) throws Exception {
    return await(
        f.db.read(
            c -> {
              try (Statement s = c.createStatement();
                  var rs = s.executeQuery("PRAGMA page_count")) {
                rs.next();
                return rs.getLong(1);
              }
            }));
  }

  private static void raiseAndClose(OutboxFixture f, String id, DeliveryResult r) throws Exception {
    await(f.outbox.raise(event(id), List.of("hook")));
    await(f.outbox.attempted(f.delivery(id, "hook").id(), r, null));
  }

  private static List<String> recentIds(OutboxFixture f) throws Exception {
    return await(f.outbox.recent(100)).stream().map(e -> e.event().id()).sorted().toList();
  }

  private static List<String> ids(String... ids) {
    return java.util.Arrays.stream(ids).sorted().toList();
  }

  private static long id(OutboxFixture f, String channel) throws Exception {
    List<Outbox.Due> due = await(f.outbox.due(f.clock.instant(), 100));
    return due.stream()
        .filter(d -> d.channelId().equals(channel))
        .findFirst()
        .orElseThrow()
        .deliveryId();
  }
}
