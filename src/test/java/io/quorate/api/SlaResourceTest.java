package io.quorate.api;

import static io.quorate.api.ApiRouterTest.assertProblem;
import static io.quorate.api.ApiRouterTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorate.config.Objectives;
import io.quorate.config.QuorateConfig;
import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.config.Secret;
import io.quorate.config.StatusPage;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.store.Database;
import io.quorate.store.Sla;
import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

/** {@code /api/v1/sla} over HTTP on a real history: reports for a target and a group, problems. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlaResourceTest {
  static final String READ = "read-token-0123456789abcdef";
  static final Sla.Tiers TIERS =
      new Sla.Tiers(
          List.of(new Sla.Tier(99.9, 10), new Sla.Tier(99.0, 25), new Sla.Tier(95.0, 100)));

  Vertx vertx;
  @TempDir static Path dir;
  Database db;
  WebClient client;
  int port;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-15T00:00:00Z"));
    VerdictHistory history = new VerdictHistory(db, clock);
    // web-1: up since October, down 2026-11-10 02:00–03:00, down again from 11-30 23:30 into
    // December (until 12-01 00:30); web-2: down 02:30–04:00 on the 10th. The group "web" is down
    // only 02:30–03:00 on the 10th and (web-2 being up) never at the month's end.
    record(history, "web-1", Status.UNKNOWN, Status.UP, "2026-10-01T00:00:00Z");
    record(history, "web-1", Status.UP, Status.DOWN, "2026-11-10T02:00:00Z");
    record(history, "web-1", Status.DOWN, Status.UP, "2026-11-10T03:00:00Z");
    record(history, "web-1", Status.UP, Status.DOWN, "2026-11-30T23:30:00Z");
    record(history, "web-1", Status.DOWN, Status.UP, "2026-12-01T00:30:00Z");
    record(history, "web-2", Status.UNKNOWN, Status.UP, "2026-10-01T00:00:00Z");
    record(history, "web-2", Status.UP, Status.DOWN, "2026-11-10T02:30:00Z");
    record(history, "web-2", Status.DOWN, Status.UP, "2026-11-10T04:00:00Z");
    // db-1: maintenance 11-05 00:00–02:00, down 02:00–02:30 (a new incident, not maintenance)
    record(history, "db-1", Status.UNKNOWN, Status.UP, "2026-10-01T00:00:00Z");
    record(history, "db-1", Status.UP, Status.MAINTENANCE, "2026-11-05T00:00:00Z");
    record(history, "db-1", Status.MAINTENANCE, Status.DOWN, "2026-11-05T02:00:00Z");
    record(history, "db-1", Status.DOWN, Status.UP, "2026-11-05T02:30:00Z");
    QuorateConfig config =
        new QuorateConfig(
            List.of("eu-west"),
            QuorateConfig.Quorum.defaults(1),
            QuorateConfig.Defaults.DEFAULT,
            List.of(
                new QuorateConfig.Group("web", "Web", "", null),
                new QuorateConfig.Group("empty", "Empty", "", null)),
            List.of(
                Targets.inGroup(Targets.fake("web-1", 10_000, 5_000), "web", 2),
                Targets.inGroup(Targets.fake("web-2", 10_000, 5_000), "web", 2),
                Targets.fake("new-1", 10_000, 5_000),
                Targets.fake("db-1", 10_000, 5_000)),
            List.of(),
            List.of());
    QuorateConfig withTerms =
        new QuorateConfig(
            config.regions(),
            config.quorum(),
            config.defaults(),
            config.groups(),
            config.targets(),
            config.zones(),
            config.pools(),
            config.alerts(),
            List.of(),
            new Objectives(
                new Sla.Terms(99.9, TIERS, null),
                Map.of("web", new Sla.Terms(99.0, TIERS, null)),
                List.of()),
            StatusPage.DEFAULT);
    BearerAuth auth =
        new BearerAuth(
            List.of(new ApiToken("grafana", new Secret("${env:R}", READ), Set.of(Scope.READ))));
    Router sla = new SlaResource(vertx, history, config, auth, clock).router();
    Router router =
        new ApiRouter(vertx, auth, new HealthResource(vertx, () -> true), null)
            .read("sla", sla)
            .read("terms", new SlaResource(vertx, history, withTerms, auth, clock).router())
            .read(
                "tight",
                new SlaResource(
                        vertx,
                        new VerdictHistory(db, clock, new VerdictHistory.Limits(400, 1_000, 2)),
                        config,
                        auth,
                        clock)
                    .router())
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

  static void record(VerdictHistory h, String target, Status from, Status to, String at)
      throws Exception {
    Instant since = Instant.parse(at);
    await(
        h.record(
            new VerdictChange(
                new Verdict(target, from, null, 0, false, 1, List.of()),
                new Verdict(target, to, since, 1, false, 1, List.of()))));
  }

  HttpResponse<Buffer> get(String query, String token) throws Exception {
    return get("sla", query, token);
  }

  HttpResponse<Buffer> get(String mount, String query, String token) throws Exception {
    var req = client.get(port, "127.0.0.1", "/api/v1/" + mount + "?" + query);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return await(req.send());
  }

  @Test
  void monthlyReportForATargetWithContract() throws Exception {
    HttpResponse<Buffer> r = get("target=web-1&month=2026-11&objective=99.9", READ);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject j = r.bodyAsJsonObject();
    assertEquals("web-1", j.getString("target"));
    assertEquals("2026-11", j.getString("month"));
    assertEquals("2026-11-01T00:00:00Z", j.getString("from"));
    assertEquals("2026-12-01T00:00:00Z", j.getString("to"));
    assertEquals("2026-12-01T00:00:00Z", j.getString("evaluatedUntil"));
    assertEquals(90 * 60_000L, j.getLong("downMs"));
    assertEquals(90.0, j.getDouble("downtimeMinutes"));
    assertEquals(0.0, j.getDouble("unknownMinutes"));
    assertEquals(round6(100.0 * (43_200 - 90) / 43_200), j.getDouble("uptimePercent"));
    JsonArray incidents = j.getJsonArray("incidents");
    assertEquals(2, j.getInteger("incidentCount"));
    assertEquals(
        new JsonObject()
            .put("start", "2026-11-30T23:30:00Z")
            .put("end", "2026-12-01T00:00:00Z")
            .put("durationMs", 30 * 60_000L)
            .put("startedBefore", false)
            .put("open", true),
        incidents.getJsonObject(1));
    JsonObject contract = j.getJsonObject("contract");
    assertEquals(99.9, contract.getDouble("objectivePercent"));
    assertEquals(false, contract.getBoolean("met"));
    assertEquals(round6(100.0 * 90 / 43_200), contract.getDouble("creditPercent"));
    assertNull(j.getValue("group"));
  }

  @Test
  void rangeReportForAGroupIsDownOnlyWhileAllMembersAre() throws Exception {
    HttpResponse<Buffer> r =
        get("group=web&from=2026-11-10&to=" + enc("2026-11-11T00:00:00+00:00"), READ);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject j = r.bodyAsJsonObject();
    assertEquals(new JsonArray().add("web-1").add("web-2"), j.getJsonArray("members"));
    assertEquals(30.0, j.getDouble("downtimeMinutes"));
    assertEquals(
        "2026-11-10T02:30:00Z", j.getJsonArray("incidents").getJsonObject(0).getString("start"));
    assertEquals(
        "2026-11-10T03:00:00Z", j.getJsonArray("incidents").getJsonObject(0).getString("end"));
    assertNull(j.getValue("contract"));
  }

  @Test
  void aTargetWithoutHistoryReportsUnknownTimeAndNoUptime() throws Exception {
    JsonObject j = get("target=new-1&month=2026-11", READ).bodyAsJsonObject();
    assertNull(j.getValue("uptimePercent"));
    assertEquals(43_200.0, j.getDouble("unknownMinutes"));
    assertEquals(0, j.getInteger("incidentCount"));
    JsonObject empty = get("group=empty&month=2026-11", READ).bodyAsJsonObject();
    assertEquals(new JsonArray(), empty.getJsonArray("members"));
    assertNull(empty.getValue("uptimePercent"));
  }

  @Test
  void theCurrentMonthIsEvaluatedUntilNow() throws Exception {
    JsonObject j = get("target=web-1&month=2026-12", READ).bodyAsJsonObject();
    assertEquals("2026-12-15T00:00:00Z", j.getString("evaluatedUntil"));
    assertEquals(30.0, j.getDouble("downtimeMinutes"));
    assertEquals(true, j.getJsonArray("incidents").getJsonObject(0).getBoolean("startedBefore"));
  }

  @Test
  void badRequestsAreProblems() throws Exception {
    Map<String, Integer> cases =
        Map.ofEntries(
            Map.entry("month=2026-11", 400),
            Map.entry("target=web-1&group=web&month=2026-11", 400),
            Map.entry("target=web-1", 400),
            Map.entry("target=web-1&from=2026-11-01", 400),
            Map.entry("target=web-1&from=yesterday&to=2026-11-02", 400),
            Map.entry("target=web-1&from=2026-11-02&to=2026-11-02", 400),
            Map.entry("target=web-1&from=2026-11-03&to=2026-11-02", 400),
            Map.entry("target=web-1&from=2020-01-01&to=2026-11-02", 400),
            Map.entry("target=web-1&month=2026-13", 400),
            Map.entry("target=web-1&month=2026-11&from=2026-11-01", 400),
            Map.entry("target=web-1&month=2026-11&objective=101", 400),
            Map.entry("target=web-1&month=2026-11&objective=NaN", 400),
            Map.entry("target=nope&month=2026-11", 404),
            Map.entry("group=nope&month=2026-11", 404));
    for (var c : cases.entrySet()) {
      HttpResponse<Buffer> r = get(c.getKey(), READ);
      assertProblem(r, c.getValue(), c.getValue() == 404 ? "not-found" : "bad-request");
    }
    assertEquals(
        "give exactly one of the query parameters 'target' and 'group'",
        get("target=web-1&group=web&month=2026-11", READ).bodyAsJsonObject().getString("detail"));
    assertEquals(
        "'from' must be before 'to'",
        get("target=web-1&from=2026-11-02&to=2026-11-02", READ)
            .bodyAsJsonObject()
            .getString("detail"));
    assertEquals(
        "no target with id 'nope'",
        get("target=nope&month=2026-11", READ).bodyAsJsonObject().getString("detail"));
    assertProblem(get("target=web-1&month=2026-11", null), 401, "unauthorized");
  }

  @Test
  void aWindowWithTooManyTransitionsIsRefusedNotTruncated() throws Exception {
    var req = client.get(port, "127.0.0.1", "/api/v1/tight?target=web-1&month=2026-11");
    HttpResponse<Buffer> r = await(req.putHeader("Authorization", "Bearer " + READ).send());
    assertProblem(r, 400, "bad-request");
    assertEquals(
        "more than 2 transitions of 'web-1' in the range; narrow it",
        r.bodyAsJsonObject().getString("detail"));
    var ok = client.get(port, "127.0.0.1", "/api/v1/tight?target=web-2&month=2026-11");
    assertEquals(200, await(ok.putHeader("Authorization", "Bearer " + READ).send()).statusCode());
  }

  @Test
  void maintenanceIsReportedApartAndEndsNoIncidentIntoDowntime() throws Exception {
    JsonObject j = get("target=db-1&month=2026-11", READ).bodyAsJsonObject();
    assertEquals(120.0, j.getDouble("maintenanceMinutes"));
    assertEquals(120 * 60_000L, j.getLong("maintenanceMs"));
    assertEquals(30.0, j.getDouble("downtimeMinutes"));
    assertEquals(0.0, j.getDouble("unknownMinutes"));
    assertEquals(round6(100.0 * (43_200 - 150) / (43_200 - 120)), j.getDouble("uptimePercent"));
    assertEquals(
        "2026-11-05T02:00:00Z", j.getJsonArray("incidents").getJsonObject(0).getString("start"));
  }

  @Test
  void theGroupsTermsApplyAndTheReportSaysWhich() throws Exception {
    // web-1 is in group web (objective 99.0, tiers inherited): 90 min down is 99.79 %: met
    JsonObject c = get("terms", "target=web-1&month=2026-11", READ).bodyAsJsonObject();
    JsonObject contract = c.getJsonObject("contract");
    assertEquals(99.0, contract.getDouble("objectivePercent"));
    assertEquals("sla.groups.web", contract.getString("objectiveFrom"));
    assertEquals(true, contract.getBoolean("met"));
    assertEquals(0.0, contract.getDouble("creditPercent"));
    JsonObject credit = contract.getJsonObject("credit");
    assertEquals("tiers", credit.getString("rule"));
    assertEquals("sla.groups.web", credit.getString("from"));
    assertEquals(
        new JsonObject().put("belowPercent", 99.9).put("creditPercent", 10.0),
        credit.getJsonArray("tiers").getJsonObject(0));
    // objective= overrides the objective only: 99.79 % is below 99.9: the 10 % tier
    JsonObject q =
        get("terms", "target=web-1&month=2026-11&objective=99.9", READ)
            .bodyAsJsonObject()
            .getJsonObject("contract");
    assertEquals("query", q.getString("objectiveFrom"));
    assertEquals("sla.groups.web", q.getJsonObject("credit").getString("from"));
    assertEquals(false, q.getBoolean("met"));
    assertEquals(10.0, q.getDouble("creditPercent"));
    assertEquals(
        new JsonObject().put("belowPercent", 99.9).put("creditPercent", 10.0), q.getValue("tier"));
    // a target without a group gets the default terms
    JsonObject d =
        get("terms", "target=db-1&month=2026-11", READ)
            .bodyAsJsonObject()
            .getJsonObject("contract");
    assertEquals("sla", d.getString("objectiveFrom"));
    assertEquals(99.9, d.getDouble("objectivePercent"));
    assertEquals(true, d.getBoolean("met"), "30 min down of 43,080 counted minutes: 99.93 %");
  }

  @Test
  void withoutConfiguredTermsTheQueryObjectiveUsesTheDowntimePercentage() throws Exception {
    JsonObject c =
        get("target=web-1&month=2026-11&objective=99.9", READ)
            .bodyAsJsonObject()
            .getJsonObject("contract");
    assertEquals("query", c.getString("objectiveFrom"));
    assertEquals("downtime-percentage", c.getJsonObject("credit").getString("rule"));
    assertEquals("default", c.getJsonObject("credit").getString("from"));
    assertNull(c.getValue("tier"));
  }

  static double round6(double d) {
    return Math.round(d * 1_000_000) / 1_000_000.0;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
