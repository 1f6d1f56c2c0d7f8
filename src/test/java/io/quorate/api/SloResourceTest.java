package io.quorate.api;

import static io.quorate.api.ApiRouterTest.assertProblem;
import static io.quorate.api.ApiRouterTest.await;
import static io.quorate.api.SlaResourceTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.config.Alerts;
import io.quorate.config.Objectives;
import io.quorate.config.QuorateConfig;
import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.config.Secret;
import io.quorate.config.StatusPage;
import io.quorate.metrics.Registries;
import io.quorate.quorum.Status;
import io.quorate.slo.SloMetrics;
import io.quorate.slo.SloService;
import io.quorate.store.Database;
import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/slo} and the SLO gauges in {@code /metrics}, over HTTP on a real history. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloResourceTest {
  static final String READ = "read-token-0123456789abcdef";
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  Vertx vertx;
  @TempDir static Path dir;
  Database db;
  WebClient client;
  int port;
  final List<io.quorate.alert.AlertEvent> raised = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    MutableClock clock = new MutableClock(NOW);
    VerdictHistory history = new VerdictHistory(db, clock);
    // web-1: 21.6 minutes down two days ago (half of a 30-day budget at 99.9 %); web-2 never down
    record(history, "web-1", Status.UNKNOWN, Status.UP, "2026-10-01T00:00:00Z");
    record(history, "web-1", Status.UP, Status.DOWN, "2026-11-29T00:00:00Z");
    record(history, "web-1", Status.DOWN, Status.UP, "2026-11-29T00:21:36Z");
    record(history, "web-2", Status.UNKNOWN, Status.UP, "2026-10-01T00:00:00Z");
    QuorateConfig base =
        new QuorateConfig(
            List.of("eu-west"),
            QuorateConfig.Quorum.defaults(1),
            QuorateConfig.Defaults.DEFAULT,
            List.of(new QuorateConfig.Group("web", "Web", "", null)),
            List.of(
                Targets.inGroup(Targets.fake("web-1", 10_000, 5_000), "web", 2),
                Targets.inGroup(Targets.fake("web-2", 10_000, 5_000), "web", 2)),
            List.of(),
            List.of());
    QuorateConfig config =
        new QuorateConfig(
            base.regions(),
            base.quorum(),
            base.defaults(),
            base.groups(),
            base.targets(),
            List.of(),
            List.of(),
            Alerts.NONE,
            List.of(),
            new Objectives(
                null,
                Map.of(),
                List.of(
                    new Objectives.Slo("web-1", null, "web-1", 99.9, 30),
                    new Objectives.Slo("web", "web", null, 99.9, 30))),
            StatusPage.DEFAULT);
    SloService slos = new SloService(vertx, config, history, clock, "eu-west", raised::add);
    PrometheusMeterRegistry registry = Registries.prometheus();
    SloMetrics.register(registry, "eu-west", slos);
    await(slos.refresh());
    BearerAuth auth =
        new BearerAuth(
            List.of(new ApiToken("grafana", new Secret("${env:R}", READ), Set.of(Scope.READ))));
    Router router =
        new ApiRouter(vertx, auth, new HealthResource(vertx, () -> true), registry)
            .read("slo", new SloResource(vertx, slos).router())
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

  HttpResponse<Buffer> get(String path, String token) throws Exception {
    var req = client.get(port, "127.0.0.1", path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return await(req.send());
  }

  @Test
  void oneSloWithItsBudgetAndBurnRates() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/slo/web-1", READ);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject j = r.bodyAsJsonObject();
    assertEquals("web-1", j.getString("target"));
    assertEquals("web", j.getString("group"));
    assertEquals(99.9, j.getDouble("objectivePercent"));
    assertEquals(30, j.getInteger("windowDays"));
    assertEquals("none", j.getString("alert"));
    assertNull(j.getValue("error"));
    assertEquals("2026-12-01T00:00:00Z", j.getString("evaluatedAt"));
    assertEquals("2026-11-01T00:00:00Z", j.getString("from"));
    assertEquals(43_200.0, j.getDouble("countedMinutes"));
    assertEquals(
        new JsonObject()
            .put("totalMinutes", 43.2)
            .put("consumedMinutes", 21.6)
            .put("remainingMinutes", 21.6)
            .put("remainingRatio", 0.5),
        j.getJsonObject("errorBudget"));
    JsonObject burn = j.getJsonObject("burnRates");
    assertEquals(0.0, burn.getDouble("1h"));
    assertEquals(5.0, burn.getDouble("3d"), "21.6 of 4320 minutes / 0.001");
  }

  @Test
  void theGroupIsDownOnlyWhileEveryMemberIsAndTheListHasBoth() throws Exception {
    JsonObject all = get("/api/v1/slo", READ).bodyAsJsonObject();
    assertEquals(2, all.getJsonArray("slos").size());
    JsonObject group = all.getJsonArray("slos").getJsonObject(1);
    assertEquals("web", group.getString("id"));
    assertNull(group.getValue("target"));
    assertEquals(1.0, group.getJsonObject("errorBudget").getDouble("remainingRatio"));
  }

  @Test
  void unknownIdsAndMissingTokensAreProblems() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/slo/nope", READ);
    assertProblem(r, 404, "not-found");
    assertEquals("no SLO with id 'nope'", r.bodyAsJsonObject().getString("detail"));
    assertProblem(get("/api/v1/slo", null), 401, "unauthorized");
  }

  @Test
  void gaugesCarryTheValuesInMetrics() throws Exception {
    String text = get("/metrics", null).bodyAsString();
    List<String> expected =
        List.of(
            "quorate_slo_error_budget_remaining_ratio{region=\"eu-west\",slo=\"web-1\"} 0.5",
            "quorate_slo_error_budget_remaining_ratio{region=\"eu-west\",slo=\"web\"} 1.0",
            "quorate_slo_objective_ratio{region=\"eu-west\",slo=\"web-1\"} 0.999",
            "quorate_slo_burn_rate{region=\"eu-west\",slo=\"web-1\",window=\"1h\"} 0.0",
            "quorate_slo_burn_rate{region=\"eu-west\",slo=\"web-1\",window=\"6h\"} 0.0",
            "quorate_slo_burn_rate{region=\"eu-west\",slo=\"web-1\",window=\"3d\"} 5.0");
    for (String line : expected) {
      assertTrue(text.lines().anyMatch(line::equals), line + " in\n" + text);
    }
    assertEquals(List.of(), raised, "nothing burns fast");
  }
}
