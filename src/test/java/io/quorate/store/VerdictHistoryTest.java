package io.quorate.store;

import static io.quorate.store.DatabaseTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.quorum.Vote;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verdict transitions on a real SQLite file: record, query, timeline, retention, reopen. */
class VerdictHistoryTest {
  static final Instant T0 = Instant.parse("2026-11-10T00:00:00Z");

  @TempDir Path dir;
  Vertx vertx;
  Database db;
  MutableClock clock;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    clock = new MutableClock(T0);
  }

  @AfterEach
  void close() throws Exception {
    await(db.close());
    await(vertx.close());
  }

  static VerdictChange change(String target, Status from, Status to, Instant since, long seq) {
    Instant received = since == null ? T0 : since;
    Vote down =
        new Vote("eu-west", target, to, since, 7, received, Outcome.DOWN, null, "connect refused");
    List<Verdict.VoteView> votes =
        List.of(
            new Verdict.VoteView("eu-west", down, true, false),
            new Verdict.VoteView("us-east", down.receivedAt(received), false, false),
            new Verdict.VoteView("ap-south", null, false, false));
    return new VerdictChange(
        new Verdict(target, from, null, seq - 1, false, 2, List.of()),
        new Verdict(target, to, since, seq, false, 2, votes));
  }

  @Test
  void recordsQueriesAndSurvivesReopen() throws Exception {
    VerdictHistory h = new VerdictHistory(db, clock);
    VerdictHistory.Transition first =
        await(h.record(change("web-1", Status.UNKNOWN, Status.UP, T0, 1)));
    assertEquals("eu-west=UP us-east=UP(stale) ap-south=NONE", first.votes(), "the votes summary");
    await(h.record(change("web-1", Status.UP, Status.DOWN, T0.plusSeconds(600), 2)));
    await(h.record(change("web-2", Status.UNKNOWN, Status.UP, T0.plusSeconds(60), 1)));
    await(h.record(change("web-1", Status.DOWN, Status.UP, T0.plusSeconds(900), 3)));
    await(db.close());

    db = await(Database.open(vertx, dir));
    h = new VerdictHistory(db, clock);
    List<VerdictHistory.Transition> all = await(h.transitions("web-1", T0, T0.plusSeconds(3600)));
    assertEquals(List.of(1L, 2L, 3L), all.stream().map(VerdictHistory.Transition::seq).toList());
    VerdictHistory.Transition down = all.get(1);
    assertEquals(Status.UP, down.from());
    assertEquals(Status.DOWN, down.to());
    assertEquals(T0.plusSeconds(600), down.at());
    assertEquals(2, down.quorum());
    assertEquals(
        List.of(2L),
        await(h.transitions("web-1", T0.plusSeconds(600), T0.plusSeconds(900))).stream()
            .map(VerdictHistory.Transition::seq)
            .toList(),
        "[from, to): the change at `to` is left out");

    Timeline t = await(h.timeline("web-1", T0.plusSeconds(700), T0.plusSeconds(3600)));
    assertEquals(Status.DOWN, t.initial());
    assertEquals(T0.plusSeconds(600), t.initialSince());
    assertEquals(List.of(new Timeline.Change(T0.plusSeconds(900), Status.UP)), t.changes());
    assertEquals(Timeline.EMPTY, await(h.timeline("nobody", T0, T0.plusSeconds(60))));
  }

  @Test
  void aVerdictWithoutSinceIsRecordedAtNow() throws Exception {
    VerdictHistory h = new VerdictHistory(db, clock);
    clock.advanceMs(1_234);
    VerdictChange c = change("web-1", Status.UP, Status.UNKNOWN, null, 4);
    VerdictHistory.Transition t = await(h.record(c));
    assertEquals(T0.plusMillis(1_234), t.at());
    assertEquals(
        t, await(h.transitions("web-1", T0, T0.plusSeconds(2))).get(0), "stored as returned");
  }

  @Test
  void compactionDropsOldRowsButKeepsEachTargetsCurrentState() throws Exception {
    VerdictHistory h = new VerdictHistory(db, clock, new VerdictHistory.Limits(10, 1_000, 1_000));
    Instant old = T0.minusSeconds(30L * 86_400);
    await(h.record(change("web-1", Status.UNKNOWN, Status.UP, old, 1)));
    await(h.record(change("web-1", Status.UP, Status.DOWN, old.plusSeconds(60), 2)));
    await(h.record(change("web-2", Status.UNKNOWN, Status.DOWN, old, 1)));
    await(h.record(change("web-1", Status.DOWN, Status.UP, T0.minusSeconds(86_400), 3)));
    assertEquals(2, await(h.compact(T0)), "web-1's two old rows; web-2's only row stays");
    assertEquals(
        List.of(3L),
        await(h.transitions("web-1", old, T0)).stream()
            .map(VerdictHistory.Transition::seq)
            .toList());
    Timeline web2 = await(h.timeline("web-2", T0, T0.plusSeconds(60)));
    assertEquals(Status.DOWN, web2.initial(), "still known to be down");
    assertEquals(0, await(h.compact(T0)), "idempotent");
  }

  @Test
  void compactionBoundsTheRowCountOldestFirst() throws Exception {
    VerdictHistory h = new VerdictHistory(db, clock, new VerdictHistory.Limits(400, 50, 1_000));
    for (int i = 0; i < 120; i++) {
      Status to = i % 2 == 0 ? Status.DOWN : Status.UP;
      await(h.record(change("web-1", Status.UP, to, T0.plusSeconds(i), i + 1)));
    }
    assertEquals(70, await(h.compact(T0.plusSeconds(200))));
    List<VerdictHistory.Transition> kept = await(h.transitions("web-1", T0, T0.plusSeconds(200)));
    assertEquals(50, kept.size());
    assertEquals(71L, kept.get(0).seq(), "the newest 50 remain");
    assertEquals(120L, kept.get(49).seq());
  }

  @Test
  void aQueryOverTheRowCapFailsInsteadOfTruncating() throws Exception {
    VerdictHistory h = new VerdictHistory(db, clock, new VerdictHistory.Limits(400, 1_000, 5));
    for (int i = 0; i < 6; i++) {
      await(h.record(change("web-1", Status.UP, Status.DOWN, T0.plusSeconds(i), i + 1)));
    }
    StoreException e =
        assertThrows(
            StoreException.class, () -> await(h.transitions("web-1", T0, T0.plusSeconds(60))));
    assertEquals(StoreException.Kind.FULL, e.kind());
    assertEquals("more than 5 transitions of 'web-1' in the range; narrow it", e.getMessage());
    assertEquals(5, await(h.transitions("web-1", T0, T0.plusSeconds(5))).size());
  }
}
