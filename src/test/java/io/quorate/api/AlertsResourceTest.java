package io.quorate.api;

import static io.quorate.api.ApiRouterTest.assertProblem;
import static io.quorate.api.ApiRouterTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorate.alert.AlertEvent;
import io.quorate.alert.DeliveryResult;
import io.quorate.alert.Outbox;
import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.config.Secret;
import io.quorate.store.Database;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/alerts} over HTTP on a real outbox: views, dead letters, replay and its scope. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsResourceTest {
  static final String READ = "read-token-0123456789abcdef";
  static final String OPERATE = "operate-token-0123456789abcdef";

  Vertx vertx;
  @TempDir static Path dir;
  Database db;
  Outbox outbox;
  Router alerts;
  WebClient client;
  int port;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    MutableClock clock = MutableClock.start();
    outbox = new Outbox(db, clock);
    await(outbox.raise(event("evt_ok"), List.of("hook", "mail")));
    clock.advanceMs(1_000);
    await(outbox.raise(event("evt_dead"), List.of("hook", "mail")));
    for (Outbox.Due d : await(outbox.due(clock.instant(), 10))) {
      boolean dead = d.event().id().equals("evt_dead") && d.channelId().equals("hook");
      await(
          outbox.attempted(
              d.deliveryId(),
              dead ? DeliveryResult.failed(400, "HTTP 400") : DeliveryResult.delivered(200),
              null));
    }
    clock.advanceMs(1_000);
    await(outbox.raise(event("evt_pending"), List.of("hook")));
    BearerAuth auth =
        new BearerAuth(
            List.of(
                new ApiToken("grafana", new Secret("${env:R}", READ), Set.of(Scope.READ)),
                new ApiToken(
                    "oncall", new Secret("${env:O}", OPERATE), Set.of(Scope.READ, Scope.OPERATE))));
    alerts = new AlertsResource(vertx, outbox, auth).router();
    Router router =
        new ApiRouter(vertx, auth, new HealthResource(vertx, () -> true), null)
            .read("alerts", alerts)
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

  static AlertEvent event(String id) {
    return new AlertEvent(
        id,
        "verdict.down",
        AlertEvent.Severity.CRITICAL,
        "web-1",
        "web",
        "web-1 is DOWN",
        Map.of("votes", "2/3"),
        Instant.parse("2026-11-21T23:59:00Z"),
        "eu-west",
        "target:web-1",
        false);
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String token) throws Exception {
    var req = client.request(method, port, "127.0.0.1", path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return await(req.send());
  }

  @Test
  void recentEventsWithDeliveryState() throws Exception {
    HttpResponse<Buffer> r = call(HttpMethod.GET, "/api/v1/alerts", READ);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray events = r.bodyAsJsonObject().getJsonArray("events");
    assertEquals(3, events.size());
    JsonObject newest = events.getJsonObject(0);
    assertEquals("evt_pending", newest.getString("id"));
    assertEquals("critical", newest.getString("severity"));
    assertEquals("2026-11-22T00:00:02Z", newest.getString("raisedAt"));
    assertEquals("2026-11-21T23:59:00Z", newest.getString("occurredAt"));
    assertEquals("2/3", newest.getJsonObject("details").getString("votes"));
    JsonObject pending = newest.getJsonArray("deliveries").getJsonObject(0);
    assertEquals("pending", pending.getString("state"));
    assertEquals(0, pending.getInteger("attempts"));
    assertNull(pending.getValue("lastStatus"));
    assertEquals("2026-11-22T00:00:02Z", pending.getString("nextAttemptAt"));
    JsonObject dead = events.getJsonObject(1).getJsonArray("deliveries").getJsonObject(0);
    assertEquals("hook", dead.getString("channel"));
    assertEquals("dead", dead.getString("state"));
    assertEquals(400, dead.getInteger("lastStatus"));
    assertEquals("HTTP 400", dead.getString("lastDetail"));
    assertEquals(
        1,
        call(HttpMethod.GET, "/api/v1/alerts?limit=1", READ)
            .bodyAsJsonObject()
            .getJsonArray("events")
            .size());
    assertProblem(call(HttpMethod.GET, "/api/v1/alerts?limit=0", READ), 400, "bad-request");
    assertProblem(call(HttpMethod.GET, "/api/v1/alerts", null), 401, "unauthorized");
  }

  @Test
  void replayNeedsOperateAndAnswers404And409() throws Exception {
    assertProblem(call(HttpMethod.POST, "/api/v1/alerts/evt_dead/replay", READ), 403, "forbidden");
    assertProblem(
        call(HttpMethod.POST, "/api/v1/alerts/evt_nope/replay", OPERATE), 404, "not-found");
    assertProblem(call(HttpMethod.POST, "/api/v1/alerts/evt_ok/replay", OPERATE), 409, "conflict");

    HttpResponse<Buffer> deadList = call(HttpMethod.GET, "/api/v1/alerts/dead", READ);
    JsonArray dead = deadList.bodyAsJsonObject().getJsonArray("events");
    assertEquals(1, dead.size());
    assertEquals("evt_dead", dead.getJsonObject(0).getString("id"));
    assertEquals(1, dead.getJsonObject(0).getJsonArray("deliveries").size(), "only the dead one");

    HttpResponse<Buffer> r = call(HttpMethod.POST, "/api/v1/alerts/evt_dead/replay", OPERATE);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(1, body.getInteger("reopened"));
    JsonObject hook = body.getJsonArray("deliveries").getJsonObject(0);
    assertEquals("pending", hook.getString("state"));
    assertEquals(0, hook.getInteger("attempts"));
    assertEquals("delivered", body.getJsonArray("deliveries").getJsonObject(1).getString("state"));
    assertEquals(
        0,
        call(HttpMethod.GET, "/api/v1/alerts/dead", READ)
            .bodyAsJsonObject()
            .getJsonArray("events")
            .size());
    assertProblem(
        call(HttpMethod.POST, "/api/v1/alerts/evt_dead/replay", OPERATE), 409, "conflict");
  }

  @Test
  void everyAlertsRouteIsDocumentedAndViceVersa() {
    Set<String> served = new TreeSet<>();
    for (Route r : alerts.getRoutes()) {
      if (r.getPath() != null && r.methods() != null) {
        String path =
            ("/api/v1/alerts" + r.getPath()).replaceAll("/$", "").replaceAll(":(\\w+)", "{$1}");
        r.methods().forEach(m -> served.add(m.name() + " " + path));
      }
    }
    Set<String> documented = new TreeSet<>();
    JsonObject paths = new JsonObject(OpenApi.document()).getJsonObject("paths");
    for (String p : paths.fieldNames()) {
      if (p.startsWith("/api/v1/alerts")) {
        paths
            .getJsonObject(p)
            .fieldNames()
            .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p));
      }
    }
    assertEquals(
        Set.of("GET /api/v1/alerts", "GET /api/v1/alerts/dead", "POST /api/v1/alerts/{id}/replay"),
        served);
    assertEquals(served, documented);
  }
}
