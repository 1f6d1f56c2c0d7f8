package io.quorate.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.alert.AlertEvent;
import io.quorate.alert.AlertRouter;
import io.quorate.alert.EventIds;
import io.quorate.config.Alerts;
import io.quorate.config.Objectives;
import io.quorate.config.QuorateConfig;
import io.quorate.config.StatusPage;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.store.Database;
import io.quorate.store.Slo;
import io.quorate.store.Slo.BurnWindow;
import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast-burn rule as a table, and one page plus one recovery through the alert router. */
class SloBurnTest {
  static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
  static final Objectives.Slo SLO = new Objectives.Slo("web-1", null, "web-1", 99.9, 30);

  @TempDir Path dir;

  static Slo.Status burns(Double m5, Double m30, Double h1, Double h6) {
    Map<BurnWindow, Double> b = new EnumMap<>(BurnWindow.class);
    b.put(BurnWindow.FIVE_MINUTES, m5);
    b.put(BurnWindow.THIRTY_MINUTES, m30);
    b.put(BurnWindow.ONE_HOUR, h1);
    b.put(BurnWindow.SIX_HOURS, h6);
    b.put(BurnWindow.THREE_DAYS, 1.0);
    return new Slo.Status(T, T, 1, 0, 0, 0, 1.0, 1.0, b, T.minusSeconds(95));
  }

  @Test
  void theMultiwindowRuleNeedsBothWindowsOfAPair() {
    record Row(Double m5, Double m30, Double h1, Double h6, FastBurn.Level level) {}
    List<Row> rows =
        List.of(
            new Row(14.4, 0.0, 14.4, 0.0, FastBurn.Level.PAGE),
            new Row(100.0, 100.0, 14.39, 100.0, FastBurn.Level.TICKET),
            new Row(14.39, 0.0, 100.0, 0.0, FastBurn.Level.NONE), // the 5 min window has cooled
            new Row(0.0, 6.0, 0.0, 6.0, FastBurn.Level.TICKET),
            new Row(0.0, 5.99, 0.0, 100.0, FastBurn.Level.NONE),
            new Row(0.0, 100.0, 0.0, 5.99, FastBurn.Level.NONE),
            new Row(null, null, null, null, FastBurn.Level.NONE));
    for (Row r : rows) {
      assertEquals(r.level(), FastBurn.level(burns(r.m5(), r.m30(), r.h1(), r.h6())), r.toString());
    }
  }

  @Test
  void aTrackerRaisesOnStartAndEscalationAndRecoversOnce() {
    FastBurn.Tracker t = new FastBurn.Tracker(SLO, "web", "eu-west");
    Optional<AlertEvent> ticket = t.evaluate(burns(0.0, 10.0, 0.0, 10.0));
    assertEquals(AlertEvent.Severity.WARNING, ticket.orElseThrow().severity());
    assertEquals(Optional.empty(), t.evaluate(burns(0.0, 10.0, 0.0, 10.0)));
    AlertEvent page = t.evaluate(burns(20.0, 10.0, 20.0, 10.0)).orElseThrow();
    assertEquals(AlertEvent.Severity.CRITICAL, page.severity());
    assertEquals(Optional.empty(), t.evaluate(burns(0.0, 10.0, 0.0, 10.0)), "page to ticket");
    AlertEvent ok = t.evaluate(burns(0.0, 0.0, 0.0, 0.0)).orElseThrow();
    assertTrue(ok.resolution());
    assertEquals(AlertEvent.Severity.INFO, ok.severity());
    assertEquals("slo:web-1", ok.dedupKey());
    assertEquals(ticket.get().dedupKey(), page.dedupKey());
    // anchored on the DOWN run, truncated: another region raises the same ids
    Instant anchor = EventIds.window(T.minusSeconds(95));
    assertEquals(EventIds.of("slo.burn", "web-1|critical", anchor), page.id());
    FastBurn.Tracker other = new FastBurn.Tracker(SLO, "web", "us-east");
    assertEquals(page.id(), other.evaluate(burns(20.0, 10.0, 20.0, 10.0)).orElseThrow().id());
  }

  @Test
  void anOutagePagesOnceThroughTheRouterAndRecoversOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database db = await(Database.open(vertx, dir));
      MutableClock clock = new MutableClock(T);
      VerdictHistory history = new VerdictHistory(db, clock);
      record(history, Status.UNKNOWN, Status.UP, T.minus(Duration.ofDays(40)));
      List<AlertEvent> sunk = new ArrayList<>();
      AlertRouter router =
          new AlertRouter(
              Alerts.NONE,
              (e, channels) -> {
                sunk.add(e);
                return Future.succeededFuture(true);
              },
              clock,
              "eu-west");
      SloService slos = new SloService(vertx, config(), history, clock, "eu-west", router::raise);
      await(slos.refresh());
      record(history, Status.UP, Status.DOWN, T);
      clock.advance(Duration.ofMinutes(5));
      await(slos.refresh()); // 5 of 5 min down: burn 1000 (5m) and 83 (1h): page
      await(slos.refresh());
      assertEquals(1, sunk.size(), sunk.toString());
      assertEquals(FastBurn.Level.PAGE, slos.view("web-1").orElseThrow().level());
      record(history, Status.DOWN, Status.UP, T.plus(Duration.ofMinutes(5)));
      clock.advance(Duration.ofMinutes(10));
      await(slos.refresh()); // 5m cooled, 30m 167 and 6h 13.9: a ticket, no new event
      assertEquals(FastBurn.Level.TICKET, slos.view("web-1").orElseThrow().level());
      clock.advance(Duration.ofMinutes(30));
      await(slos.refresh()); // the 30 min window is clean: recovered
      await(slos.refresh());
      assertEquals(2, sunk.size(), sunk.toString());
      AlertEvent page = sunk.get(0);
      assertEquals("slo.burn", page.kind());
      assertEquals(AlertEvent.Severity.CRITICAL, page.severity());
      assertEquals("web-1", page.subject());
      assertEquals("web", page.group());
      assertFalse(page.resolution());
      assertEquals(EventIds.of("slo.burn", "web-1|critical", T), page.id());
      AlertEvent recovery = sunk.get(1);
      assertEquals("slo.burn", recovery.kind());
      assertTrue(recovery.resolution());
      assertEquals(page.dedupKey(), recovery.dedupKey());
      assertNotEquals(page.id(), recovery.id());
      assertEquals(FastBurn.Level.NONE, slos.view("web-1").orElseThrow().level());
      await(db.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  static QuorateConfig config() {
    return new QuorateConfig(
        List.of("eu-west"),
        QuorateConfig.Quorum.defaults(1),
        QuorateConfig.Defaults.DEFAULT,
        List.of(new QuorateConfig.Group("web", "Web", "", null)),
        List.of(Targets.inGroup(Targets.fake("web-1", 10_000, 5_000), "web", 2)),
        List.of(),
        List.of(),
        Alerts.NONE,
        List.of(),
        new Objectives(null, Map.of(), List.of(SLO)),
        StatusPage.DEFAULT);
  }

  static void record(VerdictHistory h, Status from, Status to, Instant at) throws Exception {
    await(
        h.record(
            new VerdictChange(
                new Verdict("web-1", from, null, 0, false, 1, List.of()),
                new Verdict("web-1", to, at, 1, false, 1, List.of()))));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
