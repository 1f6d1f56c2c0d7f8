package io.quorate.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuorumEngineTest {
  static final long INTERVAL = QuorumFixtures.INTERVAL;
  static final long FRESH = QuorumFixtures.FRESH;

  private final MutableClock clock = MutableClock.start();
  private final QuorumFixtures votes = new QuorumFixtures(clock);

  /** Each row: regions, target, votes per region in rank order, expected state, contested. */
  static Stream<Arguments> table() {
    return Stream.of(
        // 3 regions, q = 2. U/D/G = fresh vote, ? = fresh UNKNOWN, - = none, u/d = stale.
        Arguments.of(3, "web", "UUU", Status.UP, false),
        Arguments.of(3, "web", "UU-", Status.UP, false),
        Arguments.of(3, "web", "U--", Status.UNKNOWN, false),
        Arguments.of(3, "web", "UD-", Status.UNKNOWN, true),
        Arguments.of(3, "web", "DD-", Status.DOWN, false),
        Arguments.of(3, "web", "DDU", Status.DOWN, false),
        Arguments.of(3, "web", "UUD", Status.UP, false),
        Arguments.of(3, "web", "GGU", Status.DEGRADED, false),
        Arguments.of(3, "web", "GUU", Status.UP, false),
        Arguments.of(3, "web", "GUD", Status.UP, false),
        Arguments.of(3, "web", "GGD", Status.DEGRADED, false),
        Arguments.of(3, "web", "??U", Status.UNKNOWN, false),
        Arguments.of(3, "web", "D??", Status.UNKNOWN, false),
        Arguments.of(3, "web", "uuU", Status.UNKNOWN, false),
        Arguments.of(3, "web", "ddD", Status.UNKNOWN, false),
        Arguments.of(3, "web", "UdD", Status.UNKNOWN, true),
        // 5 regions, q = 3.
        Arguments.of(5, "web", "UUDD-", Status.UNKNOWN, true),
        Arguments.of(5, "web", "UUUDD", Status.UP, false),
        Arguments.of(5, "web", "DDDUU", Status.DOWN, false),
        Arguments.of(5, "web", "DD---", Status.UNKNOWN, false),
        Arguments.of(5, "web", "DDD??", Status.DOWN, false),
        Arguments.of(5, "web", "GGGUD", Status.DEGRADED, false),
        Arguments.of(5, "web", "GGUUD", Status.UP, false),
        Arguments.of(5, "web", "UUuuu", Status.UNKNOWN, false),
        Arguments.of(5, "web", "DDdUU", Status.UNKNOWN, true),
        // 3 regions, group "core" overrides q = 3 of 3.
        Arguments.of(3, "core", "UUU", Status.UP, false),
        Arguments.of(3, "core", "UUD", Status.UNKNOWN, true),
        Arguments.of(3, "core", "DD-", Status.UNKNOWN, false),
        Arguments.of(3, "core", "DDU", Status.UNKNOWN, true),
        Arguments.of(3, "core", "DDD", Status.DOWN, false),
        Arguments.of(3, "core", "GGG", Status.DEGRADED, false),
        Arguments.of(3, "core", "GGU", Status.UP, false));
  }

  @ParameterizedTest(name = "{0} regions, {1}: {2} -> {3} contested={4}")
  @MethodSource("table")
  void followsTheVerdictTable(
      int regions, String target, String votes, Status expected, boolean contested) {
    QuorumEngine e = new QuorumEngine(config(regions, List.of()), clock);
    for (int i = 0; i < votes.length(); i++) {
      char c = votes.charAt(i);
      if (c != '-') {
        e.acceptAll(vote(QuorumFixtures.region(i), target, c));
      }
    }
    Verdict v = e.verdict(target);
    assertEquals(expected, v.state());
    assertEquals(contested, v.contested());
    assertEquals(target.equals("core") ? 3 : QuorateConfig.majority(regions), v.quorum());
    assertEquals(expected == Status.UNKNOWN ? 0 : 1, v.transition());
    VoteCounts n = VoteCounts.of(v.votes());
    assertEquals(regions, n.counting() + n.unknown() + n.stale() + n.abstained());
  }

  @Test
  void startsUnknownWithNoTransition() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    Verdict v = e.verdict("web");
    assertEquals(Status.UNKNOWN, v.state());
    assertEquals(0, v.transition());
    assertNull(v.since());
    assertEquals(List.of("a", "b", "c"), v.votes().stream().map(Verdict.VoteView::region).toList());
    assertNull(e.verdict("nope"));
    assertEquals(List.of("web", "core", "ref1", "ref2"), ids(e.verdicts()));
  }

  @Test
  void staleVotesTurnUnknownOnSweepAtTheExactBoundary() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    e.accept(vote("a", "web", 'U'));
    Optional<VerdictChange> up = e.accept(vote("b", "web", 'U'));
    assertEquals(Status.UP, up.orElseThrow().after().state());
    assertEquals(clock.instant(), up.get().after().since());
    clock.advanceMs(FRESH);
    assertEquals(List.of(), e.sweep());
    assertEquals(Status.UP, e.verdict("web").state());
    clock.advanceMs(1);
    List<VerdictChange> changes = e.sweep();
    assertEquals(List.of("web"), changes.stream().map(c -> c.after().targetId()).toList());
    Verdict v = changes.get(0).after();
    assertEquals(Status.UNKNOWN, v.state());
    assertEquals(2, v.transition());
    assertEquals(clock.instant(), v.since());
    assertEquals(2, VoteCounts.of(v.votes()).stale());
  }

  @Test
  void contestedKeepsThePreviousState() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    e.accept(vote("a", "web", 'D'));
    e.accept(vote("b", "web", 'D'));
    assertEquals(Status.DOWN, e.verdict("web").state());
    assertEquals(Optional.empty(), e.accept(vote("b", "web", 'U')));
    Verdict v = e.verdict("web");
    assertEquals(Status.DOWN, v.state());
    assertTrue(v.contested());
    assertEquals(1, v.transition());
    VerdictChange c = e.accept(vote("c", "web", 'U')).orElseThrow();
    assertEquals(Status.DOWN, c.before().state());
    assertEquals(Status.UP, c.after().state());
    assertFalse(c.after().contested());
    assertEquals(2, c.after().transition());
  }

  @Test
  void olderOrEqualObsSeqIsIgnored() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    Vote newer = vote("a", "web", 'D');
    e.accept(newer);
    Vote older = at(vote("a", "web", 'U'), newer.obsSeq() - 1);
    Vote same = at(vote("a", "web", 'U'), newer.obsSeq());
    assertEquals(List.of(), e.acceptAll(older));
    assertEquals(List.of(), e.acceptAll(same));
    e.accept(vote("b", "web", 'D'));
    Verdict v = e.verdict("web");
    assertEquals(Status.DOWN, v.state());
    assertEquals(newer, v.votes().get(0).vote());
  }

  @Test
  void unknownRegionsAndTargetsAreIgnored() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    assertEquals(Optional.empty(), e.accept(vote("zz", "web", 'D')));
    assertEquals(Optional.empty(), e.accept(vote("a", "nope", 'D')));
    assertEquals(Optional.empty(), e.accept(vote("a", "web", 'D')));
    assertEquals(Status.UNKNOWN, e.verdict("web").state());
    assertEquals(1, VoteCounts.of(e.verdict("web").votes()).down());
  }

  @Test
  void receiptTimeCountsNotTheSendersSince() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    Instant longAgo = clock.instant().minusSeconds(86_400);
    for (String r : List.of("a", "b")) {
      Vote v = vote(r, "web", 'D');
      e.accept(
          new Vote(
              r, "web", Status.DOWN, longAgo, v.obsSeq(), clock.instant(), v.outcome(), null, ""));
    }
    assertEquals(Status.DOWN, e.verdict("web").state());
  }

  @Test
  void aReceiptTimeInTheFutureIsClampedToNow() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    e.accept(vote("a", "web", 'D').receivedAt(clock.instant().plusSeconds(3_600)));
    e.accept(vote("b", "web", 'D'));
    assertEquals(clock.instant(), e.verdict("web").votes().get(0).vote().receivedAt());
    clock.advanceMs(FRESH + 1);
    e.sweep();
    assertEquals(Status.UNKNOWN, e.verdict("web").state());
  }

  @Test
  void aRegionWhoseReferencesAreAllDownAbstains() {
    QuorumEngine e = new QuorumEngine(config(3, List.of("ref1", "ref2")), clock);
    e.accept(vote("a", "ref1", 'D'));
    e.accept(vote("a", "ref2", 'D'));
    assertTrue(e.abstains("a"));
    assertFalse(e.abstains("b"));
    e.accept(vote("a", "web", 'D'));
    e.accept(vote("b", "web", 'D'));
    e.accept(vote("c", "web", 'U'));
    Verdict v = e.verdict("web");
    assertEquals(Status.UNKNOWN, v.state());
    assertTrue(v.contested());
    assertTrue(v.votes().get(0).abstained());
    assertFalse(v.votes().get(0).counts());
    assertEquals(new VoteCounts(1, 1, 0, 0, 0, 1), VoteCounts.of(v.votes()));
    // A reference target's own verdict is never subject to abstention.
    assertFalse(e.verdict("ref1").votes().get(0).abstained());
  }

  @Test
  void oneFailingReferenceIsNotEnoughToAbstain() {
    QuorumEngine e = new QuorumEngine(config(3, List.of("ref1", "ref2")), clock);
    e.accept(vote("a", "ref1", 'D'));
    e.accept(vote("a", "ref2", 'U'));
    assertFalse(e.abstains("a"));
    e.accept(vote("a", "web", 'D'));
    e.accept(vote("b", "web", 'D'));
    assertEquals(Status.DOWN, e.verdict("web").state());
  }

  @Test
  void staleReferenceVotesDoNotMakeARegionAbstain() {
    QuorumEngine e = new QuorumEngine(config(3, List.of("ref1", "ref2")), clock);
    e.accept(vote("a", "ref1", 'd'));
    e.accept(vote("a", "ref2", 'D'));
    assertFalse(e.abstains("a"));
  }

  @Test
  void noReferenceTargetsMeansNobodyAbstains() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    e.accept(vote("a", "ref1", 'D'));
    e.accept(vote("a", "ref2", 'D'));
    assertFalse(e.abstains("a"));
  }

  @Test
  void abstentionLiftsWhenAReferenceRecoversAndReportsOtherTargets() {
    QuorumEngine e = new QuorumEngine(config(3, List.of("ref1", "ref2")), clock);
    e.accept(vote("a", "ref1", 'D'));
    e.accept(vote("a", "ref2", 'D'));
    e.accept(vote("a", "web", 'D'));
    e.accept(vote("b", "web", 'D'));
    e.accept(vote("c", "web", 'U'));
    assertEquals(Status.UNKNOWN, e.verdict("web").state());
    // acceptAll reports every target the reference vote changed.
    List<VerdictChange> all = e.acceptAll(vote("a", "ref1", 'U'));
    assertEquals(List.of("web"), all.stream().map(c -> c.after().targetId()).toList());
    assertEquals(Status.DOWN, all.get(0).after().state());
    assertFalse(e.abstains("a"));
    // Abstaining again: a's DOWN stops counting, the rest is split, DOWN is kept as contested.
    assertEquals(List.of(), e.acceptAll(vote("a", "ref1", 'D')));
    assertTrue(e.abstains("a"));
    assertEquals(Status.DOWN, e.verdict("web").state());
    assertTrue(e.verdict("web").contested());
  }

  @Test
  void acceptLeavesOtherTargetsToTheNextSweep() {
    QuorumEngine e = new QuorumEngine(config(3, List.of("ref1", "ref2")), clock);
    e.accept(vote("a", "ref1", 'D'));
    e.accept(vote("a", "ref2", 'D'));
    e.accept(vote("a", "web", 'D'));
    e.accept(vote("b", "web", 'D'));
    assertEquals(Status.UNKNOWN, e.verdict("web").state());
    assertEquals(Optional.empty(), e.accept(vote("a", "ref2", 'U')));
    assertEquals(Status.UNKNOWN, e.verdict("web").state());
    clock.advanceMs(1);
    List<VerdictChange> swept = e.sweep();
    assertEquals(1, swept.size());
    assertEquals("web", swept.get(0).after().targetId());
    assertEquals(Status.DOWN, swept.get(0).after().state());
    assertEquals(clock.instant(), swept.get(0).after().since());
    assertEquals(List.of(), e.sweep());
  }

  @Test
  void transitionsStrictlyIncreaseByOne() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    String[] steps = {"aU", "bU", "aD", "bD", "cG", "aG", "bG", "cU", "aU"};
    long last = 0;
    List<Status> states = new ArrayList<>();
    for (String s : steps) {
      clock.advanceMs(1_000);
      Optional<VerdictChange> c = e.accept(vote(s.substring(0, 1), "web", s.charAt(1)));
      if (c.isPresent()) {
        assertEquals(last + 1, c.get().after().transition());
        assertEquals(last, c.get().before().transition());
        assertEquals(clock.instant(), c.get().after().since());
        last = c.get().after().transition();
        states.add(c.get().after().state());
      }
    }
    assertEquals(List.of(Status.UP, Status.DOWN, Status.DEGRADED, Status.UP), states);
    assertEquals(4, e.verdict("web").transition());
  }

  @Test
  void oneRegionAloneNeverFlipsAVerdict() {
    QuorumEngine e = new QuorumEngine(config(3, List.of()), clock);
    e.accept(vote("c", "web", 'D'));
    assertEquals(Status.UNKNOWN, e.verdict("web").state());
    for (String r : List.of("a", "b", "c")) {
      e.accept(vote(r, "web", 'U'));
    }
    for (int i = 0; i < 20; i++) {
      clock.advanceMs(INTERVAL);
      e.accept(vote("a", "web", 'U'));
      e.accept(vote("b", "web", 'U'));
      assertEquals(Optional.empty(), e.accept(vote("c", "web", i % 2 == 0 ? 'D' : 'G')));
      assertEquals(List.of(), e.sweep());
    }
    assertEquals(Status.UP, e.verdict("web").state());
    assertEquals(1, e.verdict("web").transition());
  }

  @Test
  void detectionBoundIsIntervalTimesFallPlusExchangeDelay() {
    Target t = Targets.inGroup(Targets.fake("web", 10_000, 5_000), null, 3);
    QuorateConfig.Quorum q = new QuorateConfig.Quorum(2, 5_000, 60_000, 1_000, 5_000, List.of());
    assertEquals(36_000, QuorumEngine.detectionBoundMs(t, q));
    Target fast = Targets.inGroup(Targets.fake("dns", 1_000, 500), null, 2);
    QuorateConfig.Quorum tight = new QuorateConfig.Quorum(2, 0, 60_000, 200, 0, List.of());
    assertEquals(2_200, QuorumEngine.detectionBoundMs(fast, tight));
  }

  private Vote vote(String region, String target, char code) {
    return votes.vote(region, target, code);
  }

  private static Vote at(Vote v, long obsSeq) {
    return QuorumFixtures.at(v, obsSeq);
  }

  private static QuorateConfig config(int regions, List<String> refs) {
    return QuorumFixtures.config(regions, refs);
  }

  private static List<String> ids(List<Verdict> vs) {
    return vs.stream().map(Verdict::targetId).toList();
  }
}
