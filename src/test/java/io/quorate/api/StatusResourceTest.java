package io.quorate.api;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorate.config.ConfigLoader;
import io.quorate.config.QuorateConfig;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.store.Database;
import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bars cache against a real store: page loads within the TTL do not re-read the history; an
 * expired cache is served while one refresh runs; a changed verdict shortens the TTL.
 */
class StatusResourceTest {
  static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

  @TempDir Path dir;
  Vertx vertx;
  Database db;
  VerdictHistory history;
  MutableClock clock;
  final AtomicReference<List<Verdict>> verdicts = new AtomicReference<>(List.of());
  StatusResource resource;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    clock = new MutableClock(START);
    history = new VerdictHistory(db, clock);
    QuorateConfig cfg =
        new ConfigLoader(Map.<String, String>of()::get)
            .parseShared(
                "regions: [a]\ngroups: [{id: web, name: Web}]\n"
                    + "targets: [{id: web-1, type: tcp, group: web, address: 127.0.0.1, port: 1}]\n",
                "x.yaml");
    resource =
        new StatusResource(
            vertx,
            new StatusResource.Sources(
                cfg,
                verdicts::get,
                List::of,
                new MaintenanceCalendar(cfg),
                Set::of,
                () -> true,
                history,
                clock));
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private Verdict up(long transition) {
    return new Verdict(
        "web-1", Status.UP, START.minus(Duration.ofHours(1)), transition, false, 1, List.of());
  }

  private Object today() throws Exception {
    JsonObject doc = await(resource.document(false));
    JsonObject member =
        doc.getJsonArray("groups").getJsonObject(0).getJsonArray("members").getJsonObject(0);
    return member.getJsonObject("uptime").getJsonArray("percent").getValue(89);
  }

  /** Today's value once the running refresh has landed (bounded poll). */
  private Object refreshed() {
    return Poll.until(
        Duration.ofSeconds(5),
        "refreshed bars",
        () -> {
          try {
            return today();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        v -> v != null);
  }

  @Test
  void barsAreCachedThenRefreshedOnceStale() throws Exception {
    assertNull(today(), "nothing recorded yet");
    Verdict before = new Verdict("web-1", Status.UNKNOWN, null, 0, false, 1, List.of());
    await(history.record(new VerdictChange(before, up(1))));
    clock.advance(Duration.ofMinutes(1));
    assertNull(today(), "within the TTL and no verdict change: the cached bars");
    clock.advance(StatusResource.BARS_TTL);
    assertNull(today(), "expired: the stale bars are served while the refresh runs");
    assertEquals(100.0, refreshed());
  }

  @Test
  void aChangedVerdictRefreshesAfterTheMinimumAge() throws Exception {
    verdicts.set(List.of(up(1)));
    assertNull(today());
    Verdict before = new Verdict("web-1", Status.UNKNOWN, null, 0, false, 1, List.of());
    await(history.record(new VerdictChange(before, up(2))));
    verdicts.set(List.of(up(2)));
    clock.advance(StatusResource.BARS_MIN_AGE.minusSeconds(1));
    assertNull(today(), "younger than the minimum age");
    clock.advance(Duration.ofSeconds(1));
    assertNull(today(), "starts the refresh, answers with the stale bars");
    assertEquals(100.0, refreshed());
  }
}
