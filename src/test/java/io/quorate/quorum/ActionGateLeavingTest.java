package io.quorate.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.MutableClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A peer that says it is leaving (graceful stop, ADR 0016) is dropped from the live set now. */
class ActionGateLeavingTest {
  static final List<String> REGIONS = ActionGateTest.REGIONS;
  static final long STANDBY = ActionGateTest.STANDBY;

  private final MutableClock clock = MutableClock.start();

  private ActionGate settled(String self) {
    ActionGate g = new ActionGate(REGIONS, self, 2, ActionGateTest.PEER_FRESH, 0, STANDBY, clock);
    REGIONS.forEach(
        r -> {
          g.heard(r);
          g.observed(r);
        });
    return g;
  }

  @Test
  void theNextRankWritesAtOnceWithoutWaitingForStandbyOrFreshness() {
    ActionGate b = settled("b");
    Instant due = clock.instant();
    assertEquals(Decision.waitUntil(1, due.plusMillis(STANDBY)), b.decide(due));
    b.left("a");
    assertEquals(List.of("b", "c"), b.liveRegions());
    assertTrue(b.quorate());
    assertEquals(0, b.rank());
    assertEquals(Decision.act(0), b.decide(due), "no standby wait, no freshness wait");
  }

  @Test
  void heardAgainMakesItLiveAgain() {
    ActionGate b = settled("b");
    b.left("a");
    clock.advanceMs(1);
    b.heard("a");
    assertEquals(List.of("a", "b", "c"), b.liveRegions());
    assertEquals(1, b.rank());
  }

  @Test
  void leavingBelowQuorumLosesQuorum() {
    ActionGate c = settled("c");
    c.left("a");
    assertTrue(c.quorate());
    c.left("b");
    assertFalse(c.quorate());
    assertEquals(Decision.refuse(Decision.NOT_QUORATE), c.decide());
  }

  @Test
  void selfAndUnknownRegionsAreIgnored() {
    ActionGate b = settled("b");
    b.left("b");
    b.left("zz");
    assertEquals(List.of("a", "b", "c"), b.liveRegions());
  }
}
