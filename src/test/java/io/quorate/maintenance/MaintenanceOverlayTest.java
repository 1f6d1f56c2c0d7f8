package io.quorate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Alerts;
import io.quorate.config.MaintenanceWindow;
import io.quorate.config.MaintenanceWindow.FailoverMode;
import io.quorate.config.Objectives;
import io.quorate.config.QuorateConfig;
import io.quorate.config.StatusPage;
import io.quorate.mesh.MeshMessage;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.store.Database;
import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintenance overlay on a real store with a hand-moved clock: history rows at the edges,
 * verdict changes inside a window neither recorded nor alerted, one alert at the end for a target
 * still DOWN (none for one that recovered), the freeze predicate and re-plan, API windows created,
 * deleted (ending now), merged last-writer-wins, and kept across a restart.
 */
public class MaintenanceOverlayTest {
  static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
  static final Instant START = T0.plus(Duration.ofMinutes(10));
  static final Instant END = T0.plus(Duration.ofMinutes(20));

  @TempDir Path dir;
  Vertx vertx;
  Database db;
  VerdictHistory history;
  MutableClock clock = new MutableClock(T0);
  final Map<String, Verdict> engine = new ConcurrentHashMap<>();
  final List<VerdictChange> alerts = new CopyOnWriteArrayList<>();
  final List<String> published = new CopyOnWriteArrayList<>();
  final List<MeshMessage.Window> sharedOut = new CopyOnWriteArrayList<>();
  final AtomicInteger replans = new AtomicInteger();
  MaintenanceService service;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    history = new VerdictHistory(db, clock);
    set("web-1", Status.UP);
    set("web-2", Status.UP);
    set("db-1", Status.UP);
  }

  @AfterEach
  void close() throws Exception {
    if (service != null) {
      service.stop();
    }
    await(db.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  public static QuorateConfig config(List<MaintenanceWindow> windows) {
    return new QuorateConfig(
        List.of("eu-west"),
        QuorateConfig.Quorum.defaults(1),
        QuorateConfig.Defaults.DEFAULT,
        List.of(new QuorateConfig.Group("web", "Web", "", null)),
        List.of(
            Targets.inGroup(Targets.fake("web-1", 10_000, 5_000), "web", 2),
            Targets.inGroup(Targets.fake("web-2", 10_000, 5_000), "web", 2),
            Targets.fake("db-1", 10_000, 5_000)),
        List.of(),
        List.of(),
        Alerts.NONE,
        windows,
        Objectives.NONE,
        StatusPage.DEFAULT);
  }

  static MaintenanceWindow window(
      String id, List<String> targets, List<String> groups, FailoverMode mode) {
    return new MaintenanceWindow(
        id, "Upgrade", null, targets, groups, START, END, null, mode, true);
  }

  void start(List<MaintenanceWindow> windows) throws Exception {
    service =
        new MaintenanceService(
            vertx,
            config(windows),
            clock,
            new MaintenanceService.Hooks(
                engine::get,
                (v, o) -> published.add(v.targetId() + "=" + (o == null ? v.state() : "MAINT")),
                alerts::add,
                replans::incrementAndGet,
                sharedOut::addAll));
    await(service.start(db, history));
  }

  void set(String target, Status s) {
    Verdict before = engine.get(target);
    long seq = before == null ? 1 : before.transition() + 1;
    Verdict after = new Verdict(target, s, clock.instant(), seq, false, 1, List.of());
    engine.put(target, after);
    if (service != null) {
      Verdict b =
          before != null
              ? before
              : new Verdict(target, Status.UNKNOWN, null, 0, false, 1, List.of());
      service.onVerdict(new VerdictChange(b, after));
    }
  }

  List<String> rows(String target) throws Exception {
    return await(history.transitions(target, T0, T0.plus(Duration.ofDays(1)))).stream()
        .map(t -> t.from() + ">" + t.to() + "@" + t.at())
        .toList();
  }

  @Test
  void aWindowShowsMaintenanceRecordsItsEdgesAndAlertsOnceAtTheEndWhenStillDown() throws Exception {
    start(List.of(window("upgrade", List.of("web-1"), List.of(), FailoverMode.ACT)));
    assertFalse(service.covered("web-1"));
    clock.set(START.plusMillis(300));
    service.tick();
    assertTrue(service.covered("web-1"));
    assertFalse(service.covered("web-2"));
    assertEquals("upgrade", service.covering("web-1").orElseThrow().window().id());
    clock.set(START.plusSeconds(60));
    set("web-1", Status.DOWN);
    assertTrue(service.covered("web-1"), "a change inside the window stays covered");
    clock.set(END.plusMillis(700));
    service.tick();
    assertFalse(service.covered("web-1"));
    assertEquals(List.of("UP>MAINTENANCE@" + START, "MAINTENANCE>DOWN@" + END), rows("web-1"));
    assertEquals(1, alerts.size(), "one alert at the end");
    assertEquals(Status.MAINTENANCE, alerts.get(0).before().state());
    assertEquals(Status.DOWN, alerts.get(0).after().state());
    assertEquals(List.of("web-1=MAINT", "web-1=DOWN"), published);
    assertEquals(0, replans.get(), "an ACT window does not re-plan");
    service.tick();
    assertEquals(2, rows("web-1").size(), "no more rows on later ticks");
  }

  @Test
  void aTargetThatRecoveredDuringTheWindowRaisesNothing() throws Exception {
    start(List.of(window("upgrade", List.of(), List.of("web"), FailoverMode.ACT)));
    clock.set(START);
    set("web-2", Status.DOWN); // the verdict change itself notices the start
    assertTrue(service.covered("web-2"));
    service.tick(); // the other members of the group at the tick
    assertTrue(service.covered("web-1"));
    clock.set(START.plusSeconds(120));
    set("web-2", Status.UP);
    clock.set(END.plusSeconds(3));
    service.tick();
    assertEquals(List.of(), alerts);
    assertEquals(List.of("DOWN>MAINTENANCE@" + START, "MAINTENANCE>UP@" + END), rows("web-2"));
    assertEquals(List.of("UP>MAINTENANCE@" + START, "MAINTENANCE>UP@" + END), rows("web-1"));
    assertEquals(List.of(), rows("db-1"));
  }

  @Test
  void freezeHoldsOnlyInsideTheWindowAndItsEndReplans() throws Exception {
    start(
        List.of(
            window("freeze", List.of(), List.of("web"), FailoverMode.FREEZE),
            window("act", List.of("db-1"), List.of(), FailoverMode.ACT)));
    assertFalse(service.frozen("web-1", START.minusMillis(1)));
    assertTrue(service.frozen("web-1", START));
    assertTrue(service.frozen("web-2", END.minusMillis(1)));
    assertFalse(service.frozen("web-2", END));
    assertFalse(service.frozen("db-1", START.plusSeconds(1)), "ACT never freezes");
    clock.set(START.plusSeconds(1));
    service.tick();
    assertEquals(0, replans.get());
    clock.set(END.plusSeconds(1));
    service.tick();
    assertEquals(1, replans.get(), "one re-plan when the FREEZE window ends");
  }

  @Test
  void apiWindowsAreSharedDeletedEarlyMergedByLastWriterAndKeptAcrossRestart() throws Exception {
    start(List.of());
    clock.set(START.minusSeconds(5));
    service.tick();
    MeshMessage.Window w =
        new MeshMessage.Window(
            "db-patch",
            "Patch",
            "",
            List.of("db-1"),
            List.of(),
            START,
            END,
            null,
            "ACT",
            false,
            clock.instant(),
            false);
    MeshMessage.Window created = await(service.shared().create(w));
    assertTrue(sharedOut.contains(created), "shared with the peers");
    clock.set(START.plusSeconds(30));
    service.tick();
    assertTrue(service.covered("db-1"));
    clock.set(START.plusSeconds(90));
    await(service.shared().delete("db-patch"));
    assertFalse(service.covered("db-1"), "deleting an active window ends it now");
    assertEquals(
        List.of("UP>MAINTENANCE@" + START, "MAINTENANCE>UP@" + START.plusSeconds(90)),
        rows("db-1"));
    // a peer's older live copy does not bring it back; the tombstone survives a restart
    service.receive("us-east", created);
    service.tick();
    assertFalse(service.covered("db-1"));
    service.stop();
    service = null;
    start(List.of());
    assertTrue(service.shared().all().get(0).deleted());
    assertTrue(service.shared().live("db-patch").isEmpty());
    // a newer copy from a peer wins
    MeshMessage.Window again =
        new MeshMessage.Window(
            "db-patch",
            "Patch 2",
            "",
            List.of("db-1"),
            List.of(),
            START,
            END,
            null,
            "ACT",
            false,
            clock.instant().plusSeconds(1),
            false);
    service.receive("us-east", again);
    service.tick();
    assertTrue(service.covered("db-1"));
    assertEquals("Patch 2", service.covering("db-1").orElseThrow().window().title());
  }

  @Test
  void aWindowNoticedLateIsRecordedWhenNoticedNotBackdated() throws Exception {
    start(List.of());
    clock.set(START.plusSeconds(300));
    service.tick();
    MeshMessage.Window w =
        new MeshMessage.Window(
            "late",
            "Late",
            "",
            List.of("web-1"),
            List.of(),
            START,
            END,
            null,
            "FREEZE",
            false,
            clock.instant(),
            false);
    await(service.shared().create(w));
    assertTrue(service.covered("web-1"));
    assertEquals(List.of("UP>MAINTENANCE@" + START.plusSeconds(300)), rows("web-1"));
    assertEquals(0, replans.get(), "no re-plan before the end");
  }
}
