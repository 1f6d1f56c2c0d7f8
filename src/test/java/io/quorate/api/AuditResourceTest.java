package io.quorate.api;

import static io.quorate.api.ApiRouterTest.assertProblem;
import static io.quorate.api.ApiRouterTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.config.Secret;
import io.quorate.store.AuditLog;
import io.quorate.store.AuditStore;
import io.quorate.store.Database;
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

/** {@code /api/v1/audit}: memory by default, the durable log with {@code from}, after a restart. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditResourceTest {
  static final String READ = "read-token-0123456789abcdef";
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  Vertx vertx;
  @TempDir static Path dir;
  Database db;
  WebClient client;
  int port;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    Database before = await(Database.open(vertx, dir));
    AuditLog old = new AuditLog(100);
    await(old.attach(new AuditStore(before)));
    for (int i = 0; i < 5; i++) {
      old.add(
          T0.plusSeconds(60L * i),
          i % 2 == 0 ? "web" : "mail",
          "update",
          "applied",
          "agent:eu-west",
          List.of("reason " + i),
          Map.of());
    }
    await(before.close());
    // the restart: a new store on the same file, a new log with a small memory
    db = await(Database.open(vertx, dir));
    AuditLog audit = new AuditLog(2);
    await(audit.attach(new AuditStore(db)));
    audit.add(T0.plusSeconds(600), "web", "pause", "ok", "token:ops", List.of("pause"), Map.of());
    BearerAuth auth =
        new BearerAuth(
            List.of(new ApiToken("grafana", new Secret("${env:R}", READ), Set.of(Scope.READ))));
    var router =
        new ApiRouter(vertx, auth, new HealthResource(vertx, () -> true), null)
            .read("audit", new AuditResource(vertx, audit).router())
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

  HttpResponse<Buffer> get(String query) throws Exception {
    var req = client.get(port, "127.0.0.1", "/api/v1/audit" + query);
    return await(req.putHeader("Authorization", "Bearer " + READ).send());
  }

  static List<Long> ids(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray entries = r.bodyAsJsonObject().getJsonArray("entries");
    return entries.stream().map(e -> ((JsonObject) e).getLong("id")).toList();
  }

  @Test
  void withoutFromTheMemoryIsListed() throws Exception {
    assertEquals(List.of(6L, 5L), ids(get("")));
  }

  @Test
  void withFromEntriesFromBeforeTheRestartAreListed() throws Exception {
    assertEquals(List.of(6L, 5L, 4L, 3L, 2L, 1L), ids(get("?from=2026-11-20")));
    assertEquals(
        List.of(5L, 3L, 1L), ids(get("?from=2026-11-20&to=2026-11-20T10:05:00Z&pool=web")));
    assertEquals(List.of(6L, 5L), ids(get("?from=2026-11-20&limit=2")));
    JsonObject first =
        get("?from=2026-11-20T10:00:00Z&to=2026-11-20T10:01:00Z")
            .bodyAsJsonObject()
            .getJsonArray("entries")
            .getJsonObject(0);
    assertEquals("2026-11-20T10:00:00Z", first.getString("at"));
    assertEquals(new JsonArray().add("reason 0"), first.getJsonArray("reasons"));
    assertEquals("agent:eu-west", first.getString("actor"));
  }

  @Test
  void badRequestsAreProblems() throws Exception {
    for (String q :
        List.of(
            "?to=2026-11-20",
            "?from=yesterday",
            "?from=2026-11-21&to=2026-11-20",
            "?from=2026-11-20&limit=0")) {
      assertProblem(get(q), 400, "bad-request");
    }
    assertEquals(
        "query parameter 'to' needs 'from'",
        get("?to=2026-11-20").bodyAsJsonObject().getString("detail"));
  }
}
