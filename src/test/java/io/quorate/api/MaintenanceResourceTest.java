package io.quorate.api;

import static io.quorate.api.ApiRouterTest.assertProblem;
import static io.quorate.api.ApiRouterTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.MaintenanceWindow;
import io.quorate.config.MaintenanceWindow.FailoverMode;
import io.quorate.config.QuorateConfig;
import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.config.Secret;
import io.quorate.maintenance.MaintenanceOverlayTest;
import io.quorate.maintenance.MaintenanceService;
import io.quorate.store.Database;
import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/maintenance} over HTTP on a real store: create, list, filter, read, delete;
 * scopes; every validation error in one problem; 404 and 409.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceResourceTest {
  static final String READ = "read-token-0123456789abcdef";
  static final String OPERATE = "operate-token-0123456789abcdef";
  static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

  @TempDir static Path dir;
  Vertx vertx;
  Database db;
  WebClient client;
  int port;
  MaintenanceService service;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    db = await(Database.open(vertx, dir));
    MutableClock clock = new MutableClock(NOW);
    MaintenanceWindow configured =
        new MaintenanceWindow(
            "nightly",
            "Nightly restart",
            null,
            List.of("db-1"),
            List.of(),
            NOW.plus(Duration.ofHours(2)),
            NOW.plus(Duration.ofHours(3)),
            null,
            FailoverMode.ACT,
            false);
    QuorateConfig config = MaintenanceOverlayTest.config(List.of(configured));
    service =
        new MaintenanceService(
            vertx,
            config,
            clock,
            new MaintenanceService.Hooks(t -> null, (v, o) -> {}, c -> {}, () -> {}, w -> {}));
    await(service.start(db, new VerdictHistory(db, clock)));
    BearerAuth auth =
        new BearerAuth(
            List.of(
                new ApiToken("grafana", new Secret("${env:R}", READ), Set.of(Scope.READ)),
                new ApiToken(
                    "ops", new Secret("${env:O}", OPERATE), Set.of(Scope.READ, Scope.OPERATE))));
    Router router =
        new ApiRouter(vertx, auth, new HealthResource(vertx, () -> true), null)
            .read(
                "maintenance",
                new MaintenanceResource(vertx, service, config, auth, clock).router())
            .build();
    ApiVerticle api = new ApiVerticle("127.0.0.1", 0, () -> router);
    await(vertx.deployVerticle(api));
    port = api.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() throws Exception {
    service.stop();
    await(db.close());
    await(vertx.close());
  }

  HttpResponse<Buffer> call(HttpMethod m, String path, String token, Object body) throws Exception {
    var req = client.request(m, port, "127.0.0.1", path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? req.send() : req.sendBuffer(Buffer.buffer(body.toString())));
  }

  static JsonObject body() {
    return new JsonObject()
        .put("id", "web-upgrade")
        .put("title", "Web upgrade")
        .put("groups", new JsonArray().add("web"))
        .put("start", NOW.minusSeconds(60).toString())
        .put("end", NOW.plus(Duration.ofHours(1)).toString())
        .put("failover", "freeze")
        .put("announce", true);
  }

  @Test
  void createListFilterReadAndDelete() throws Exception {
    var created = call(HttpMethod.POST, "/api/v1/maintenance", OPERATE, body());
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("/api/v1/maintenance/web-upgrade", created.getHeader("Location"));
    JsonObject w = created.bodyAsJsonObject();
    assertEquals("api", w.getString("source"));
    assertEquals("freeze", w.getString("failover"));
    assertEquals(List.of("web-1", "web-2"), w.getJsonArray("covered").getList());
    assertEquals(true, w.getBoolean("active"));
    assertEquals(NOW.minusSeconds(60).toString(), w.getJsonObject("current").getString("start"));
    assertEquals(NOW.toString(), w.getString("updatedAt"));

    var all = call(HttpMethod.GET, "/api/v1/maintenance", READ, null).bodyAsJsonObject();
    assertEquals(List.of("nightly", "web-upgrade"), ids(all));
    JsonObject nightly = all.getJsonArray("windows").getJsonObject(0);
    assertEquals("config", nightly.getString("source"));
    assertEquals(null, nightly.getValue("current"));
    assertEquals(
        NOW.plus(Duration.ofHours(2)).toString(), nightly.getJsonObject("next").getString("start"));
    var active = call(HttpMethod.GET, "/api/v1/maintenance?active=true", READ, null);
    assertEquals(List.of("web-upgrade"), ids(active.bodyAsJsonObject()));
    var idle = call(HttpMethod.GET, "/api/v1/maintenance?active=false", READ, null);
    assertEquals(List.of("nightly"), ids(idle.bodyAsJsonObject()));
    assertProblem(
        call(HttpMethod.GET, "/api/v1/maintenance?active=yes", READ, null), 400, "bad-request");
    var one = call(HttpMethod.GET, "/api/v1/maintenance/web-upgrade", READ, null);
    assertEquals("Web upgrade", one.bodyAsJsonObject().getString("title"));
    assertTrue(service.covered("web-2"));

    assertProblem(call(HttpMethod.POST, "/api/v1/maintenance", OPERATE, body()), 409, "conflict");
    assertEquals(
        204,
        call(HttpMethod.DELETE, "/api/v1/maintenance/web-upgrade", OPERATE, null).statusCode());
    assertTrue(!service.covered("web-2"), "deleting an active window ends it now");
    assertProblem(
        call(HttpMethod.GET, "/api/v1/maintenance/web-upgrade", READ, null), 404, "not-found");
    assertProblem(
        call(HttpMethod.DELETE, "/api/v1/maintenance/web-upgrade", OPERATE, null),
        404,
        "not-found");
    var cfg = call(HttpMethod.DELETE, "/api/v1/maintenance/nightly", OPERATE, null);
    assertProblem(cfg, 409, "conflict");
    assertTrue(cfg.bodyAsJsonObject().getString("detail").contains("defined in the config file"));
    // the id of a deleted window may be used again
    assertEquals(201, call(HttpMethod.POST, "/api/v1/maintenance", OPERATE, body()).statusCode());
    assertEquals(
        204,
        call(HttpMethod.DELETE, "/api/v1/maintenance/web-upgrade", OPERATE, null).statusCode());
  }

  @Test
  void aRecurringWindowThroughTheApi() throws Exception {
    JsonObject b = body().put("id", "nightly-web").put("every", "daily 23:30-00:30 UTC");
    b.remove("start");
    b.remove("end");
    var created = call(HttpMethod.POST, "/api/v1/maintenance", OPERATE, b);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject w = created.bodyAsJsonObject();
    assertEquals("daily 23:30-00:30 UTC", w.getString("every"));
    assertEquals(true, w.getBoolean("active"), "NOW is 00:00, inside 23:30-00:30");
    assertEquals(
        NOW.minus(Duration.ofMinutes(30)).toString(),
        w.getJsonObject("current").getString("start"));
    assertTrue(service.covered("web-1"));
    assertEquals(
        204,
        call(HttpMethod.DELETE, "/api/v1/maintenance/nightly-web", OPERATE, null).statusCode());
    assertTrue(!service.covered("web-1"));
  }

  @Test
  void aGeneratedIdWhenNoneIsGiven() throws Exception {
    JsonObject b = body();
    b.remove("id");
    var r = call(HttpMethod.POST, "/api/v1/maintenance", OPERATE, b);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String id = r.bodyAsJsonObject().getString("id");
    assertTrue(id.matches("mw-[0-9a-f]{12}"), id);
    assertEquals(
        204, call(HttpMethod.DELETE, "/api/v1/maintenance/" + id, OPERATE, null).statusCode());
  }

  @Test
  void scopes() throws Exception {
    assertProblem(call(HttpMethod.GET, "/api/v1/maintenance", null, null), 401, "unauthorized");
    assertProblem(call(HttpMethod.POST, "/api/v1/maintenance", READ, body()), 403, "forbidden");
    assertProblem(
        call(HttpMethod.DELETE, "/api/v1/maintenance/nightly", READ, null), 403, "forbidden");
  }

  @Test
  void everyErrorOfABadBodyInOneProblem() throws Exception {
    String past = NOW.minusSeconds(7200).toString();
    String hourAgo = NOW.minusSeconds(3600).toString();
    Object[][] table = {
      {body().put("colour", "red"), List.of("colour: unknown field")},
      {
        body().put("id", "Web Upgrade"),
        List.of("id: must match [a-z0-9][a-z0-9._-]* (at most 63 characters)")
      },
      {body().put("title", " "), List.of("title: must not be blank")},
      {
        body().put("targets", new JsonArray().add("web-9")).put("groups", new JsonArray().add("x")),
        List.of("targets[0]: no target 'web-9'", "groups[0]: no group 'x'")
      },
      {
        body().put("groups", new JsonArray()), List.of("targets: name at least one target or group")
      },
      {
        body().put("start", past).put("end", hourAgo),
        List.of("end: the window is entirely in the past")
      },
      {body().put("end", NOW.minusSeconds(120).toString()), List.of("end: must be after start")},
      {
        body().put("end", NOW.plus(Duration.ofDays(8)).toString()),
        List.of("end: a window lasts at most 7 days")
      },
      {
        body().put("start", "tomorrow"),
        List.of("start: must be an RFC 3339 time such as 2026-11-22T02:00:00Z")
      },
      {
        body()
            .put("every", "daily 02:00-03:00 UTC")
            .put("failover", "sometimes")
            .put("announce", "yes"),
        List.of(
            "failover: must be act or freeze",
            "announce: must be true or false",
            "every: give start and end, or every, not both")
      },
      {
        body().put("every", "second tusday 02:00-04:00 Europe/London"),
        List.of("every: unknown weekday 'tusday'", "every: give start and end, or every, not both")
      },
    };
    for (Object[] row : table) {
      var r = call(HttpMethod.POST, "/api/v1/maintenance", OPERATE, row[0]);
      assertProblem(r, 400, "invalid-maintenance-window");
      assertEquals(
          row[1], r.bodyAsJsonObject().getJsonArray("errors").getList(), row[0].toString());
    }
    JsonObject empty = new JsonObject();
    var r = call(HttpMethod.POST, "/api/v1/maintenance", OPERATE, empty);
    assertEquals(
        List.of(
            "title: required",
            "targets: name at least one target or group",
            "start: required (an RFC 3339 time), or give every",
            "end: required (an RFC 3339 time), or give every"),
        r.bodyAsJsonObject().getJsonArray("errors").getList());
    assertProblem(call(HttpMethod.POST, "/api/v1/maintenance", OPERATE, "[1]"), 400, "bad-request");
    assertEquals(
        List.of("nightly"),
        ids(call(HttpMethod.GET, "/api/v1/maintenance", READ, null).bodyAsJsonObject()),
        "nothing was created");
  }

  static List<Object> ids(JsonObject list) {
    return list.getJsonArray("windows").stream().map(o -> ((JsonObject) o).getValue("id")).toList();
  }
}
