package io.quorate.failover;

import static io.quorate.failover.PoolFixtures.T0;
import static io.quorate.failover.PoolFixtures.p;
import static io.quorate.failover.PoolFixtures.pool;
import static io.quorate.failover.PoolFixtures.rails;
import static io.quorate.failover.PoolFixtures.web;
import static io.quorate.failover.PoolFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Pool;
import io.quorate.quorum.Status;
import io.quorate.testsupport.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Flap freeze, operator switches and hold-down bookkeeping of {@link PoolState}. */
class PoolStateTest {
  private final MutableClock clock = new MutableClock(T0);

  /** flapChanges 6 within the default 600 s flap window. */
  private final Pool pool = web();

  private final PoolState state = new PoolState(pool, clock);

  /** A written change from one RRset to the other, alternating. */
  private ChangePlan change(int i) {
    RRset a = PoolFixtures.rr(pool, "127.0.0.11", "127.0.0.12");
    RRset b = PoolFixtures.rr(pool, "127.0.0.11");
    RRset from = i % 2 == 0 ? a : b;
    RRset to = i % 2 == 0 ? b : a;
    return new ChangePlan(pool.id(), ChangePlan.Kind.CHANGE, from, to, List.of("test"), null);
  }

  @Test
  void freezesOnceAfterMoreThanFlapChangesInTheWindow() {
    for (int i = 0; i < 6; i++) {
      assertEquals(Optional.empty(), state.recordApplied(change(i)), "change " + (i + 1));
      clock.advanceMs(60_000);
    }
    Optional<PoolState.Freeze> freeze = state.recordApplied(change(6));
    assertTrue(freeze.isPresent(), "the 7th change within 600 s freezes");
    assertEquals(clock.instant(), freeze.get().since());
    assertEquals("7 changes within 600000 ms (more than flapChanges 6)", freeze.get().why());
    assertEquals(freeze, state.frozen());
    assertEquals(Optional.empty(), state.recordApplied(change(7)), "reported once");
    assertEquals(freeze, state.frozen(), "still the first freeze");
  }

  @Test
  void changesSpreadBeyondTheWindowDoNotFreeze() {
    for (int i = 0; i < 20; i++) {
      assertEquals(Optional.empty(), state.recordApplied(change(i)));
      clock.advanceMs(100_001); // 6 per 600 s at most
    }
    assertFalse(state.frozen().isPresent());
    Instant last = clock.instant().minusMillis(100_001);
    assertEquals(6, state.changesWithin(600_000, last), "the last 6 are within 600 s of it");
  }

  @Test
  void resumeClearsTheFreezeAndCountsAfresh() {
    Pool touchy = with(pool, rails().flap(2));
    PoolState s = new PoolState(touchy, clock);
    s.recordApplied(change(0));
    s.recordApplied(change(1));
    assertTrue(s.recordApplied(change(2)).isPresent());
    assertTrue(s.resume());
    assertFalse(s.frozen().isPresent());
    assertFalse(s.resume(), "nothing left to resume");
    clock.advanceMs(1);
    assertEquals(Optional.empty(), s.recordApplied(change(3)), "old changes no longer count");
    assertEquals(Optional.empty(), s.recordApplied(change(4)));
    assertTrue(s.recordApplied(change(5)).isPresent(), "3 changes since the resume");
    assertEquals(6, s.changesWithin(600_000, clock.instant()), "the rate window keeps them all");
  }

  @Test
  void pauseAndResume() {
    assertTrue(state.pause());
    assertFalse(state.pause());
    assertTrue(state.paused());
    assertTrue(state.snapshot().paused());
    assertTrue(state.resume());
    assertFalse(state.paused());
  }

  @Test
  void drainAndUndrain() {
    Pool withDrained =
        pool(
            "A",
            p("a", "127.0.0.1"),
            new Pool.Member("c", "127.0.0.2", "c", Pool.Role.PRIMARY, true));
    PoolState s = new PoolState(withDrained, clock);
    assertEquals(Set.of("c"), s.drained(), "config drained is the initial value");
    assertTrue(s.undrain("c"));
    assertFalse(s.undrain("c"));
    assertTrue(s.drain("a"));
    assertFalse(s.drain("a"));
    assertEquals(Set.of("a"), s.snapshot().drained());
    PoolState.UnknownMemberException e =
        assertThrows(PoolState.UnknownMemberException.class, () -> s.drain("nope"));
    assertEquals("pool www has no member \"nope\"", e.getMessage());
  }

  @Test
  void onlyWrittenChangesOfThisPoolAreRecorded() {
    ChangePlan c = change(0);
    ChangePlan dry =
        new ChangePlan(pool.id(), c.kind(), c.expected(), c.desired(), c.reasons(), "dry-run");
    ChangePlan noop =
        new ChangePlan(
            pool.id(), ChangePlan.Kind.NOOP, c.expected(), c.expected(), List.of(), null);
    ChangePlan other =
        new ChangePlan("other", c.kind(), c.expected(), c.desired(), List.of(), null);
    for (ChangePlan bad : List.of(dry, noop, other)) {
      assertThrows(IllegalArgumentException.class, () -> state.recordApplied(bad));
    }
    assertEquals(0, state.changesWithin(600_000, clock.instant()));
    state.recordApplied(c);
    assertEquals(
        new PoolState.AppliedChange(T0, c.expected(), c.desired()), state.lastChange().get());
  }

  @ParameterizedTest
  @CsvSource({
    // first, then, degradedIsUp, up since (seconds after T0; empty = not up)
    "UP,       UP,       true,  0",
    "UP,       UNKNOWN,  true,  0",
    "UP,       DOWN,     true,  ",
    "DEGRADED, UP,       true,  0",
    "DEGRADED, UP,       false, 10",
    "DOWN,     UP,       true,  10",
    "UNKNOWN,  UP,       true,  10",
    "UP,       DEGRADED, false, ",
  })
  void upSinceTracksTheFirstInstantCountedUp(
      Status first, Status then, boolean degradedIsUp, Long since) {
    Pool p = degradedIsUp ? pool : with(pool, rails().degradedIsDown());
    PoolState s = new PoolState(p, clock);
    s.recordVerdict("web-2", first, T0);
    s.recordVerdict("web-2", then, T0.plusSeconds(10));
    Optional<Instant> expected = Optional.ofNullable(since).map(T0::plusSeconds);
    assertEquals(expected, s.upSince("web-2"));
    assertEquals(Optional.empty(), s.upSince("web-1"), "other members untouched");
  }

  @Test
  void aVerdictFromTheFutureCountsFromNow() {
    state.recordVerdict(PoolFixtures.verdict("web-1", Status.UP, T0.plusSeconds(30)));
    assertEquals(Optional.of(T0), state.upSince("web-1"));
  }

  @Test
  void snapshotIsACopy() {
    PoolState.Snapshot before = state.snapshot();
    state.drain("web-1");
    state.recordApplied(change(0));
    assertEquals(Set.of(), before.drained());
    assertEquals(List.of(), before.recentChanges());
    assertEquals(List.of(T0), state.snapshot().recentChanges());
  }
}
