package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.agent.QuorumService;
import io.quorate.alert.AlertEvent.Severity;
import io.quorate.config.Alerts;
import io.quorate.mesh.MeshMessage;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.quorum.Vote;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event ids, routing rules, reminders, recovery, storms, and who sends. */
class AlertRoutingTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  final MutableClock clock = new MutableClock(T0);
  final List<String> raised = new ArrayList<>();
  final AlertSink sink =
      (e, channels) -> {
        raised.add(e.kind() + "|" + e.subject() + "|" + channels + "|" + e.summary());
        return Future.succeededFuture(true);
      };

  static Vote vote(String region, Status s, Instant since) {
    return new Vote(
        region, "web-2", s, since, 1, since, Outcome.DOWN, ErrorKind.REFUSED, "refused");
  }

  static Verdict verdict(Status s, Instant since, Vote... votes) {
    List<Verdict.VoteView> views = new ArrayList<>();
    for (Vote v : votes) {
      views.add(new Verdict.VoteView(v.region(), v, true, false));
    }
    return new Verdict("web-2", s, since, 3, false, 2, views);
  }

  @Test
  void twoRegionsSeeingDifferentVoteSubsetsAgreeOnTheId() {
    Instant first = T0.plusMillis(1234);
    Vote eu = vote("eu-west", Status.DOWN, first);
    Vote us = vote("us-east", Status.DOWN, first.plusMillis(800));
    Vote ap = vote("ap-southeast", Status.DOWN, first.plusMillis(900));
    Verdict up = verdict(Status.UP, T0.minusSeconds(60));
    // region A reached quorum with eu+us, region B with eu+ap, at different local times
    AlertEvent a =
        AlertEvents.verdict(
                new VerdictChange(up, verdict(Status.DOWN, T0.plusSeconds(2), eu, us)),
                "web",
                "eu-west")
            .orElseThrow();
    AlertEvent b =
        AlertEvents.verdict(
                new VerdictChange(up, verdict(Status.DOWN, T0.plusSeconds(3), eu, ap)),
                "web",
                "us-east")
            .orElseThrow();
    assertEquals(a.id(), b.id());
    assertEquals("verdict.down", a.kind());
    assertEquals(Severity.CRITICAL, a.severity());
    assertEquals("target:web-2", a.dedupKey());
    assertTrue(a.summary().contains("web-2 DOWN in 2/2 regions (refused)"), a.summary());
    // the next outage of the same target has another id
    Vote later = vote("eu-west", Status.DOWN, first.plusSeconds(600));
    AlertEvent c =
        AlertEvents.verdict(
                new VerdictChange(up, verdict(Status.DOWN, T0.plusSeconds(602), later, us)),
                "web",
                "eu-west")
            .orElseThrow();
    assertNotEquals(a.id(), c.id());
    // recovery is a resolution; UNKNOWN transitions raise nothing
    Verdict down = verdict(Status.DOWN, T0, eu, us);
    AlertEvent rec =
        AlertEvents.verdict(
                new VerdictChange(
                    down,
                    verdict(
                        Status.UP,
                        T0.plusSeconds(30),
                        vote("eu-west", Status.UP, T0.plusSeconds(29)))),
                "web",
                "eu-west")
            .orElseThrow();
    assertTrue(rec.resolution());
    assertEquals("target:web-2", rec.dedupKey());
    assertTrue(
        AlertEvents.verdict(new VerdictChange(down, verdict(Status.UNKNOWN, T0)), null, "x")
            .isEmpty());
    assertTrue(
        AlertEvents.verdict(
                new VerdictChange(verdict(Status.UNKNOWN, T0), verdict(Status.UP, T0)), null, "x")
            .isEmpty(),
        "UNKNOWN -> UP at start is not a recovery");
  }

  private static AlertEvent event(String kind, Severity s, String subject, boolean resolution) {
    return new AlertEvent(
        EventIds.of(kind, subject, T0),
        kind,
        s,
        subject,
        "web",
        kind + " " + subject,
        Map.of(),
        T0,
        "eu-west",
        "target:" + subject,
        resolution);
  }

  private static Alerts alerts(int stormMax, Alerts.Rule... rules) {
    return new Alerts(
        List.of(), List.of(rules), Alerts.DEFAULT_RETRY_FOR_MS, new Alerts.Storm(stormMax, 60_000));
  }

  @Test
  void rulesMatchKindPrefixSeverityTargetsAndGroups() {
    Alerts.Rule critical =
        new Alerts.Rule(
            List.of("verdict.*"),
            List.of(),
            List.of("web"),
            Severity.WARNING,
            List.of("hook"),
            0,
            false);
    Alerts.Rule mailAll =
        new Alerts.Rule(
            List.of(), List.of("web-2"), List.of(), Severity.INFO, List.of("mail"), 0, true);
    AlertRouter r = new AlertRouter(alerts(100, critical, mailAll), sink, clock, "eu-west");
    r.raise(event("verdict.down", Severity.CRITICAL, "web-2", false));
    r.raise(event("verdict.up", Severity.INFO, "web-2", true));
    r.raise(event("dns.applied", Severity.WARNING, "www", false));
    assertEquals(
        List.of(
            "verdict.down|web-2|[hook, mail]|verdict.down web-2",
            "verdict.up|web-2|[mail]|verdict.up web-2",
            "dns.applied|www|[]|dns.applied www"),
        raised);
  }

  @Test
  void remindersRepeatAnOpenProblemUntilItIsResolved() {
    Alerts.Rule rule =
        new Alerts.Rule(
            List.of(), List.of(), List.of(), Severity.INFO, List.of("hook"), 3_600_000, true);
    AlertRouter r = new AlertRouter(alerts(100, rule), sink, clock, "eu-west");
    r.raise(event("verdict.down", Severity.CRITICAL, "web-2", false));
    clock.advance(Duration.ofMinutes(59));
    r.tick();
    assertEquals(1, raised.size());
    clock.advance(Duration.ofMinutes(2));
    r.tick();
    r.tick();
    assertEquals(2, raised.size(), "one reminder per period");
    assertTrue(raised.get(1).contains("[REMINDER 1]"), raised.get(1));
    r.raise(event("verdict.up", Severity.INFO, "web-2", true));
    clock.advance(Duration.ofHours(3));
    r.tick();
    assertEquals(3, raised.size(), "resolved: no more reminders");
  }

  @Test
  void aStormIsFoldedIntoOneDigestPerChannel() {
    Alerts.Rule rule =
        new Alerts.Rule(List.of(), List.of(), List.of(), Severity.INFO, List.of("hook"), 0, true);
    AlertRouter r = new AlertRouter(alerts(3, rule), sink, clock, "eu-west");
    for (int i = 0; i < 10; i++) {
      r.raise(event("verdict.down", Severity.CRITICAL, "t" + i, false));
    }
    assertEquals(3, raised.stream().filter(s -> s.contains("[hook]")).count());
    assertEquals(7, raised.stream().filter(s -> s.contains("|[]|")).count(), "kept as history");
    clock.advance(Duration.ofSeconds(61));
    r.tick();
    String digest = raised.get(raised.size() - 1);
    assertTrue(digest.startsWith("digest|hook|[hook]|[CRITICAL] 7 more events"), digest);
    r.raise(event("verdict.down", Severity.CRITICAL, "t99", false));
    assertTrue(raised.get(raised.size() - 1).contains("[hook]"), "a new window");
    raised.clear();
    for (int i = 0; i < 3 + 500; i++) {
      r.raise(event("verdict.down", Severity.CRITICAL, "s" + i, false));
    }
    clock.advance(Duration.ofSeconds(61));
    r.tick();
    String big = raised.get(raised.size() - 1);
    assertTrue(big.contains("[CRITICAL] 501 more events"), "counted, listed bounded: " + big);
  }

  @Test
  void rankZeroSendsStandbysWaitForReceiptsAndCutOffAgentsSpeakOnlyForThemselves() {
    List<MeshMessage.Receipt> published = new ArrayList<>();
    QuorumService.GateStatus[] gate = {
      new QuorumService.GateStatus(true, true, 1, List.of("a", "b"))
    };
    MeshSendPolicy p = new MeshSendPolicy("b", () -> gate[0], 5_000, clock, published::add);
    AlertEvent e = event("verdict.down", Severity.CRITICAL, "web-2", false);
    SendPolicy.Decision d = p.decide(e, "hook", T0);
    assertEquals(SendPolicy.Decision.Kind.WAIT, d.kind());
    assertEquals(T0.plusSeconds(5), d.until());
    p.received("a", new MeshMessage.Receipt(e.id(), "hook"));
    clock.advance(Duration.ofSeconds(6));
    assertEquals(SendPolicy.Decision.skip("delivered by a"), p.decide(e, "hook", T0));
    assertEquals(SendPolicy.Decision.SEND, p.decide(e, "mail", T0), "no receipt for that channel");
    p.delivered(e.id(), "mail");
    assertEquals(List.of(new MeshMessage.Receipt(e.id(), "mail")), published);

    gate[0] = new QuorumService.GateStatus(false, true, -1, List.of("b"));
    assertEquals(SendPolicy.Decision.Kind.WAIT, p.decide(e, "x", T0).kind());
    AlertEvent cutOff = AlertEvents.quorum(false, "b", T0);
    assertEquals(SendPolicy.Decision.SEND, p.decide(cutOff, "x", T0));
    assertEquals(
        SendPolicy.Decision.Kind.WAIT,
        p.decide(AlertEvents.quorum(false, "a", T0), "x", T0).kind());
    assertFalse(cutOff.resolution());
  }
}
