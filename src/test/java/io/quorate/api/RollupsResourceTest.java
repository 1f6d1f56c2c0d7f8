package io.quorate.api;

import static io.quorate.api.ApiRouterTest.assertProblem;
import static io.quorate.api.ApiRouterTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.config.QuorateConfig;
import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.config.Secret;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.quorum.LocalStates;
import io.quorate.quorum.Observation;
import io.quorate.store.Database;
import io.quorate.store.FailedObservations;
import io.quorate.store.MinuteAccumulator;
import io.quorate.store.RecentObservations;
import io.quorate.store.Rollups;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/rollups} and {@code /api/v1/observations/history} over HTTP on a real store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollupsResourceTest {
  static final String READ = "read-token-0123456789abcdef";
  static final Instant M0 = Instant.parse("2026-11-20T10:00:00Z");

  Vertx vertx;
  @TempDir static Path dir;
  Database db;
  WebClient client;
  int port;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    Rollups rollups = new Rollups(db);
    // web-1: minute 10:00 two UP (10 ms, 30 ms) and a DOWN; minute 10:05 one DEGRADED (2 s)
    MinuteAccumulator acc = new MinuteAccumulator(10);
    acc.add("web-1", Outcome.UP, 10, M0);
    acc.add("web-1", Outcome.UP, 30, M0.plusSeconds(20));
    acc.add("web-1", Outcome.DOWN, 5_000, M0.plusSeconds(40));
    acc.add("web-1", Outcome.DEGRADED, 2_000, M0.plusSeconds(300));
    for (MinuteAccumulator.Minute m : acc.closed(M0.plusSeconds(3600))) {
      await(rollups.flush(m));
    }
    await(rollups.compactDays(clock.instant()));
    FailedObservations failed = new FailedObservations(db, 100);
    for (int i = 0; i < 5; i++) {
      failed.accept(failing("web-1", M0.plusSeconds(60L * i), "refused " + i));
    }
    failed.accept(failing("web-2", M0, "x".repeat(800)));
    await(failed.flush());
    List<io.quorate.config.Target> targets =
        List.of(Targets.fake("web-1", 10_000, 5_000), Targets.fake("web-2", 10_000, 5_000));
    QuorateConfig config =
        new QuorateConfig(
            List.of("eu-west"),
            QuorateConfig.Quorum.defaults(1),
            QuorateConfig.Defaults.DEFAULT,
            List.of(),
            targets,
            List.of(),
            List.of());
    BearerAuth auth =
        new BearerAuth(
            List.of(new ApiToken("grafana", new Secret("${env:R}", READ), Set.of(Scope.READ))));
    ObservationsResource observations =
        new ObservationsResource(
            vertx,
            new LocalStates(clock, targets),
            new RecentObservations(10, 10),
            () -> failed,
            clock);
    var router =
        new ApiRouter(vertx, auth, new HealthResource(vertx, () -> true), null)
            .read(
                "rollups",
                new RollupsResource(vertx, () -> rollups, config, "eu-west", clock).router())
            .read("observations", observations.router())
            .read(
                "closed", new RollupsResource(vertx, () -> null, config, "eu-west", clock).router())
            .build();
    ApiVerticle api = new ApiVerticle("127.0.0.1", 0, () -> router);
    await(vertx.deployVerticle(api));
    port = api.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() throws Exception {
    await(db.close());
    await(vertx.close());
  }

  static Observation failing(String target, Instant at, String detail) {
    return new Observation(
        "eu-west",
        1,
        new ProbeResult(
            target, Outcome.DOWN, ErrorKind.REFUSED, detail, at, Timings.total(1.5), null, null));
  }

  HttpResponse<Buffer> get(String pathAndQuery) throws Exception {
    var req = client.get(port, "127.0.0.1", pathAndQuery);
    return await(req.putHeader("Authorization", "Bearer " + READ).send());
  }

  @Test
  void minuteRowsCarryCountsPercentilesAndTheRegion() throws Exception {
    HttpResponse<Buffer> r =
        get("/api/v1/rollups?target=web-1&from=2026-11-20T10:00:00Z&to=2026-11-20T11:00:00Z");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject j = r.bodyAsJsonObject();
    assertEquals("minute", j.getString("step"));
    assertEquals("eu-west", j.getString("region"));
    JsonArray rows = j.getJsonArray("rows");
    assertEquals(2, rows.size());
    JsonObject first = rows.getJsonObject(0);
    assertEquals("2026-11-20T10:00:00Z", first.getString("start"));
    assertEquals("eu-west", first.getString("region"));
    assertEquals(3, first.getInteger("count"));
    assertEquals(2, first.getInteger("up"));
    assertEquals(1, first.getInteger("down"));
    assertEquals(0, first.getInteger("degraded"));
    assertEquals(30.0, first.getDouble("maxMs"));
    assertEquals(30.0, first.getDouble("p95Ms"), "rank 2 of 2 is the exact max");
    assertEquals(10.0, first.getDouble("p50Ms"), 10.0 * 0.091);
    JsonObject second = rows.getJsonObject(1);
    assertEquals("2026-11-20T10:05:00Z", second.getString("start"));
    assertEquals(1, second.getInteger("degraded"));
    assertEquals(2000.0, second.getDouble("maxMs"));
  }

  @Test
  void dayRowsAreTheSumOfTheMinutes() throws Exception {
    JsonObject j = get("/api/v1/rollups?target=web-1&step=day&from=2026-11-01").bodyAsJsonObject();
    assertEquals("2026-11-22T12:00:00Z", j.getString("to"), "to defaults to now");
    JsonArray rows = j.getJsonArray("rows");
    assertEquals(1, rows.size());
    JsonObject day = rows.getJsonObject(0);
    assertEquals("2026-11-20T00:00:00Z", day.getString("start"));
    assertEquals(
        List.of(4, 2, 1, 1),
        List.of(
            day.getInteger("count"),
            day.getInteger("up"),
            day.getInteger("down"),
            day.getInteger("degraded")));
    assertEquals(2000.0, day.getDouble("maxMs"));
    JsonObject none = get("/api/v1/rollups?target=web-2&step=day").bodyAsJsonObject();
    assertEquals(new JsonArray(), none.getJsonArray("rows"));
  }

  @Test
  void failingObservationsNewestFirstWithLimitAndClippedDetail() throws Exception {
    HttpResponse<Buffer> r =
        get("/api/v1/observations/history?target=web-1&from=2026-11-20&to=2026-11-21&limit=2");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray obs = r.bodyAsJsonObject().getJsonArray("observations");
    assertEquals(2, obs.size());
    JsonObject newest = obs.getJsonObject(0);
    assertEquals("2026-11-20T10:04:00Z", newest.getString("startedAt"));
    assertEquals("refused 4", newest.getString("detail"));
    assertEquals("refused", newest.getString("errorKind"));
    assertEquals("DOWN", newest.getString("outcome"));
    assertEquals("eu-west", newest.getString("region"));
    assertEquals(1.5, newest.getDouble("durationMs"));
    JsonObject w2 =
        get("/api/v1/observations/history?target=web-2&from=2026-11-20T09:00:00Z")
            .bodyAsJsonObject()
            .getJsonArray("observations")
            .getJsonObject(0);
    assertEquals(500, w2.getString("detail").length());
    JsonObject empty =
        get("/api/v1/observations/history?target=web-1").bodyAsJsonObject(); // last day: none
    assertEquals(new JsonArray(), empty.getJsonArray("observations"));
  }

  @Test
  void badRequestsAreProblems() throws Exception {
    Map<String, Integer> cases =
        Map.ofEntries(
            Map.entry("/api/v1/rollups", 400),
            Map.entry("/api/v1/rollups?target=web-1&step=hour", 400),
            Map.entry("/api/v1/rollups?target=web-1&from=yesterday", 400),
            Map.entry("/api/v1/rollups?target=web-1&from=2026-11-20&to=2026-11-20", 400),
            Map.entry("/api/v1/rollups?target=web-1&from=2026-11-01&to=2026-11-09", 400),
            Map.entry("/api/v1/rollups?target=web-1&step=day&from=2020-01-01&to=2026-11-09", 400),
            Map.entry("/api/v1/rollups?target=nope", 404),
            Map.entry("/api/v1/closed?target=web-1", 503),
            Map.entry("/api/v1/observations/history", 400),
            Map.entry("/api/v1/observations/history?target=web-1&limit=0", 400),
            Map.entry("/api/v1/observations/history?target=web-1&to=2026-13-01", 400),
            Map.entry("/api/v1/observations/history?target=web-1&from=2020-01-01", 400),
            Map.entry("/api/v1/observations/history?target=nope", 404));
    for (var c : cases.entrySet()) {
      String type =
          switch (c.getValue()) {
            case 404 -> "not-found";
            case 503 -> "unavailable";
            default -> "bad-request";
          };
      assertProblem(get(c.getKey()), c.getValue(), type);
    }
    assertEquals(
        "the window may span at most 7 days with step=minute",
        get("/api/v1/rollups?target=web-1&from=2026-11-01&to=2026-11-09")
            .bodyAsJsonObject()
            .getString("detail"));
    assertEquals(
        "query parameter 'step' must be 'minute' or 'day', got 'hour'",
        get("/api/v1/rollups?target=web-1&step=hour").bodyAsJsonObject().getString("detail"));
    var anonymous = client.get(port, "127.0.0.1", "/api/v1/rollups?target=web-1");
    assertProblem(await(anonymous.send()), 401, "unauthorized");
    assertEquals(
        new JsonArray(),
        get("/api/v1/rollups?target=web-2").bodyAsJsonObject().getJsonArray("rows"),
        "a target without observations has no rows");
  }
}
