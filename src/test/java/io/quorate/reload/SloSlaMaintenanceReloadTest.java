package io.quorate.reload;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.Closers;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SLOs, SLA terms and configured maintenance windows reloaded live (ADR 0017, amendment of
 * 2026-11-23) on a real agent probing a real nginx: an SLO added by a reload shows in {@code
 * /api/v1/slo} and its gauges in {@code /metrics}, and both vanish when a reload removes it (the
 * unchanged SLO stays); the SLA endpoint answers with the reloaded contract; a configured window
 * added by a reload puts its target in MAINTENANCE, and removing it ends the maintenance.
 */
@Timeout(120)
class SloSlaMaintenanceReloadTest {
  static final Duration LIMIT = Duration.ofSeconds(30);
  static final Closers CLOSERS = new Closers();
  @TempDir static Path dir;
  static NginxMember web;
  static LocalCluster cluster;
  static Vertx client;
  static ApiPoll api;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    web = CLOSERS.keep(NginxMember.start(dir.resolve("nginx")));
    base =
        "quorum: {heartbeatMs: 200, graceMs: 1000}\n"
            + "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}\n"
            + "targets:\n"
            + "  - {id: web-1, type: http, address: 127.0.0.1, port: "
            + web.port()
            + ", http: {path: /health}}\n"
            + "sla: {objective: 99.9}\n"
            + "slos:\n  - {id: keep, target: web-1, objective: 99.9}\n";
    client = Vertx.vertx();
    CLOSERS.<AutoCloseable>keep(() -> await(client.close()));
    api = new ApiPoll(client, LocalCluster.TOKEN);
    cluster = CLOSERS.keep(LocalCluster.start(dir, List.of("solo"), base, Map.of(), null));
  }

  @AfterAll
  static void stop() throws Exception {
    CLOSERS.close();
  }

  @BeforeEach
  void upAgain() throws Exception {
    await(api.until(port(), "/api/v1/verdicts", LIMIT, j -> "UP".equals(state(j))));
  }

  @Test
  void anSloAddedByAReloadAppearsAndVanishesWhenRemoved() throws Exception {
    assertEquals(List.of("keep"), sloIds());
    reload(base + "  - {id: fresh, target: web-1, objective: 99.5, windowDays: 7}\n");
    assertEquals(List.of("keep", "fresh"), sloIds());
    JsonObject fresh = await(api.get(port(), "/api/v1/slo/fresh"));
    assertEquals(99.5, fresh.getDouble("objectivePercent"));
    assertEquals(7, fresh.getInteger("windowDays"));
    String metrics = metrics();
    assertTrue(
        metrics.contains("quorate_slo_objective_ratio{region=\"solo\",slo=\"fresh\"} 0.995"),
        metrics);
    assertTrue(metrics.contains("quorate_slo_burn_rate{region=\"solo\",slo=\"fresh\",window="));
    await(api.until(port(), "/api/v1/slo/fresh", LIMIT, j -> j.getString("evaluatedAt") != null));

    reload(base);
    assertEquals(List.of("keep"), sloIds());
    assertEquals(404, status("/api/v1/slo/fresh"));
    String after = metrics();
    assertFalse(after.contains("slo=\"fresh\""), "fresh left /metrics");
    assertTrue(after.contains("quorate_slo_objective_ratio{region=\"solo\",slo=\"keep\"} 0.999"));
  }

  @Test
  void theSlaEndpointAnswersWithTheReloadedContract() throws Exception {
    assertEquals(99.9, objective());
    reload(base.replace("sla: {objective: 99.9}", "sla: {objective: 99.5}"));
    assertEquals(99.5, objective());
    reload(base);
    assertEquals(99.9, objective());
  }

  @Test
  void aConfiguredWindowAddedByAReloadPutsItsTargetInMaintenanceUntilRemoved() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    reload(
        base
            + "maintenance:\n  - {id: rack-move, title: Rack move, targets: [web-1],"
            + " start: '"
            + now.minusSeconds(60)
            + "', end: '"
            + now.plusSeconds(3600)
            + "'}\n");
    JsonObject v =
        await(api.until(port(), "/api/v1/verdicts", LIMIT, j -> "MAINTENANCE".equals(state(j))));
    JsonObject shown = v.getJsonArray("verdicts").getJsonObject(0);
    assertEquals("rack-move", shown.getJsonObject("maintenance").getString("id"));
    assertEquals("UP", shown.getString("underlying"));

    reload(base);
    await(api.until(port(), "/api/v1/verdicts", LIMIT, j -> "UP".equals(state(j))));
    List<String> rows =
        io.quorate.testsupport.Poll.until(
            LIMIT,
            "both edges in the history",
            SloSlaMaintenanceReloadTest::historySinceTest,
            l -> l.size() >= 2);
    assertEquals(List.of("UP>MAINTENANCE", "MAINTENANCE>UP"), rows, "one row at each edge");
  }

  static Instant testStart = Instant.now();

  /** The history rows of web-1 from this class's start as {@code from>to}. */
  static List<String> historySinceTest() {
    try {
      return await(
              cluster
                  .agent("solo")
                  .history()
                  .transitions("web-1", testStart, Instant.now().plusSeconds(1)))
          .stream()
          .filter(
              t ->
                  t.from() == io.quorate.quorum.Status.MAINTENANCE
                      || t.to() == io.quorate.quorum.Status.MAINTENANCE)
          .map(t -> t.from() + ">" + t.to())
          .toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static int port() {
    return cluster.port("solo");
  }

  static JsonObject reload(String body) throws Exception {
    Files.writeString(LocalCluster.sharedFile(dir), "regions: [solo]\n" + body);
    HttpResponse<Buffer> r = send("POST", "/api/v1/config/reload", LocalCluster.OPERATE_TOKEN);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static HttpResponse<Buffer> send(String method, String path, String token) throws Exception {
    return await(
        WebClient.create(client)
            .request(io.vertx.core.http.HttpMethod.valueOf(method), port(), "127.0.0.1", path)
            .putHeader("Authorization", "Bearer " + token)
            .send());
  }

  static int status(String path) throws Exception {
    return send("GET", path, LocalCluster.TOKEN).statusCode();
  }

  static String metrics() throws Exception {
    return send("GET", "/metrics", LocalCluster.TOKEN).bodyAsString();
  }

  static List<String> sloIds() throws Exception {
    return await(api.get(port(), "/api/v1/slo")).getJsonArray("slos").stream()
        .map(s -> ((JsonObject) s).getString("id"))
        .toList();
  }

  static double objective() throws Exception {
    String month = YearMonth.now(ZoneOffset.UTC).toString();
    JsonObject sla = await(api.get(port(), "/api/v1/sla?target=web-1&month=" + month));
    return sla.getJsonObject("contract").getDouble("objectivePercent");
  }

  static String state(JsonObject verdicts) {
    return verdicts.getJsonArray("verdicts").getJsonObject(0).getString("state");
  }
}
