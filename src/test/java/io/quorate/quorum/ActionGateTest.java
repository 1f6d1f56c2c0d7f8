package io.quorate.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActionGateTest {
  static final List<String> REGIONS = List.of("a", "b", "c");
  static final long PEER_FRESH = 8_000;
  static final long SETTLE = 20_000;
  static final long STANDBY = 5_000;

  private final MutableClock clock = MutableClock.start();

  private ActionGate gate(String self) {
    return new ActionGate(REGIONS, self, 2, PEER_FRESH, SETTLE, STANDBY, clock);
  }

  /** Hears and observes every region, then waits out the settle period. */
  private ActionGate settledGate(String self) {
    ActionGate g = gate(self);
    for (String r : REGIONS) {
      g.heard(r);
      g.observed(r);
    }
    tick(g, SETTLE, REGIONS);
    return g;
  }

  @Test
  void selfAloneIsLiveButNotQuorate() {
    ActionGate g = gate("b");
    g.heard("b");
    assertEquals(List.of("b"), g.liveRegions());
    assertFalse(g.quorate());
    assertEquals(-1, g.rank());
    assertNull(g.lastHeard("b"));
    assertEquals(Decision.refuse(Decision.NOT_QUORATE), g.decide());
  }

  @Test
  void twoOfThreeLiveIsQuorate() {
    ActionGate g = gate("b");
    g.heard("c");
    assertTrue(g.quorate());
    assertEquals(List.of("b", "c"), g.liveRegions());
    assertEquals(0, g.rank());
    assertEquals(clock.instant(), g.lastHeard("c"));
    g.heard("a");
    assertEquals(List.of("a", "b", "c"), g.liveRegions());
    assertEquals(1, g.rank());
  }

  @Test
  void unknownRegionsAreIgnored() {
    ActionGate g = gate("b");
    g.heard("zz");
    g.observed("zz");
    assertFalse(g.quorate());
    assertEquals(List.of("b"), g.liveRegions());
  }

  @Test
  void peersExpireAfterPeerFreshness() {
    ActionGate g = gate("a");
    g.heard("b");
    clock.advanceMs(PEER_FRESH);
    assertTrue(g.quorate());
    clock.advanceMs(1);
    assertFalse(g.quorate());
    assertEquals(List.of("a"), g.liveRegions());
    g.heard("c");
    assertTrue(g.quorate());
  }

  @Test
  void refusesWhileSettlingUntilTheSettlePeriodHasPassed() {
    ActionGate g = gate("a");
    g.heard("b");
    g.observed("a");
    g.observed("b");
    assertFalse(g.settled());
    assertEquals(Decision.refuse(Decision.SETTLING), g.decide());
    clock.advanceMs(SETTLE - 1);
    g.heard("b");
    assertEquals(Decision.refuse(Decision.SETTLING), g.decide());
    clock.advanceMs(1);
    assertTrue(g.settled());
    assertEquals(Decision.act(0), g.decide());
  }

  @Test
  void settlesOnlyOnceAQuorumOfRegionsDeliveredObservations() {
    ActionGate g = gate("a");
    g.observed("a");
    clock.advanceMs(SETTLE * 3);
    g.heard("b");
    g.heard("c");
    assertFalse(g.settled());
    assertEquals(Decision.refuse(Decision.SETTLING), g.decide());
    g.observed("a");
    assertFalse(g.settled());
    g.observed("c");
    assertTrue(g.settled());
    assertEquals(Decision.act(0), g.decide());
  }

  @Test
  void notQuorateWinsOverSettling() {
    ActionGate g = gate("a");
    assertEquals(Decision.NOT_QUORATE, g.decide().reason());
  }

  @ParameterizedTest(name = "self={0}: rank {1}, waits {2} standbys")
  @CsvSource({"a, 0", "b, 1", "c, 2"})
  void rankKWaitsKStandbysFromCandidacy(String self, int rank) {
    ActionGate g = settledGate(self);
    Instant candidate = clock.instant();
    assertEquals(rank, g.rank());
    Decision d = g.decide();
    if (rank == 0) {
      assertEquals(Decision.act(0), d);
      return;
    }
    Instant until = candidate.plusMillis(rank * STANDBY);
    assertEquals(Decision.waitUntil(rank, until), d);
    assertFalse(d.mayAct());
    tick(g, rank * STANDBY - 1, REGIONS);
    assertEquals(Decision.Kind.WAIT, g.decide().kind());
    tick(g, 1, REGIONS);
    assertEquals(Decision.act(rank), g.decide());
  }

  @Test
  void aStandbyWaitsFromWhenTheActionBecameDue() {
    ActionGate g = settledGate("c");
    tick(g, 60_000, REGIONS);
    Instant due = clock.instant();
    assertEquals(Decision.waitUntil(2, due.plusMillis(2 * STANDBY)), g.decide(due));
    assertEquals(Decision.act(2), g.decide(due.minusMillis(2 * STANDBY)));
    assertEquals(Decision.act(2), g.decide());
  }

  @Test
  void rankMovesUpWhenAHigherRankedPeerExpires() {
    ActionGate g = settledGate("c");
    Instant due = clock.instant();
    assertEquals(Decision.waitUntil(2, due.plusMillis(2 * STANDBY)), g.decide(due));
    tick(g, PEER_FRESH + 1, List.of("b"));
    assertEquals(List.of("b", "c"), g.liveRegions());
    // Rank 1 waits one standby from the due time (already over), not two.
    assertEquals(Decision.act(1), g.decide(due));
    Instant later = clock.instant();
    assertEquals(Decision.waitUntil(1, later.plusMillis(STANDBY)), g.decide(later));
  }

  @Test
  void losingQuorumRestartsTheCandidacy() {
    ActionGate g = settledGate("b");
    clock.advanceMs(PEER_FRESH + 1);
    // No call observed the loss; the heard() below must still see it before it counts.
    g.heard("a");
    Instant regained = clock.instant();
    assertEquals(Decision.waitUntil(1, regained.plusMillis(STANDBY)), g.decide());
    tick(g, STANDBY, List.of("a"));
    assertEquals(Decision.act(1), g.decide());
  }

  @Test
  void oneRegionAloneIsQuorateWhenTheQuorumIsOne() {
    ActionGate g = new ActionGate(List.of("solo"), "solo", 1, PEER_FRESH, 0, STANDBY, clock);
    assertTrue(g.quorate());
    assertEquals(Decision.refuse(Decision.SETTLING), g.decide());
    g.observed("solo");
    assertEquals(Decision.act(0), g.decide());
  }

  @Test
  void rejectsAnImpossibleSetup() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ActionGate(REGIONS, "zz", 2, PEER_FRESH, SETTLE, STANDBY, clock));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ActionGate(REGIONS, "a", 4, PEER_FRESH, SETTLE, STANDBY, clock));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ActionGate(REGIONS, "a", 0, PEER_FRESH, SETTLE, STANDBY, clock));
  }

  @Test
  void defaultSettleIsTwiceTheLargestInterval() {
    assertEquals(
        60_000,
        ActionGate.defaultSettleMs(
            List.of(Targets.fake("x", 10_000, 1_000), Targets.fake("y", 30_000, 1_000))));
    assertEquals(0, ActionGate.defaultSettleMs(List.of()));
  }

  /** Advances {@code ms} in heartbeat steps of at most 1 s, hearing {@code peers} each step. */
  private void tick(ActionGate g, long ms, List<String> peers) {
    for (long left = ms; left > 0; left -= Math.min(left, 1_000)) {
      clock.advanceMs(Math.min(left, 1_000));
      peers.forEach(g::heard);
    }
  }

  @Test
  void decideLocalIgnoresRankButNotQuorumOrSettling() {
    ActionGate fresh = gate("c");
    fresh.heard("b");
    assertEquals(Decision.refuse(Decision.SETTLING), fresh.decideLocal());
    ActionGate g = settledGate("c");
    assertEquals(2, g.rank());
    assertEquals(Decision.Kind.WAIT, g.decide(clock.instant()).kind(), "rank 2 waits to write");
    assertEquals(Decision.act(2), g.decideLocal(), "its own copy: at once");
    clock.advanceMs(PEER_FRESH + 1);
    assertEquals(Decision.refuse(Decision.NOT_QUORATE), g.decideLocal());
  }
}
