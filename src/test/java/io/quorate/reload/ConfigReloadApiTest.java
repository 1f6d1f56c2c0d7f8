package io.quorate.reload;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.agent.ConfigReloads;
import io.quorate.agent.ReloadReport;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/config/reload} and {@code GET /api/v1/config} on a one-region agent probing a
 * real nginx: a refused reload lists every error with its file and YAML path and changes nothing;
 * scopes; one reload at a time.
 */
class ConfigReloadApiTest {
  @TempDir static Path dir;
  static NginxMember nginx;
  static LocalCluster cluster;
  static Vertx client;
  static WebClient web;
  static String body;

  static String body(int port) {
    return "quorum: {heartbeatMs: 200, graceMs: 1000}\n"
        + "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}\n"
        + "targets:\n"
        + "  - {id: a, type: http, address: 127.0.0.1, port: "
        + port
        + ", http: {path: /health}}\n"
        + "  - {id: b, type: http, address: 127.0.0.1, port: "
        + port
        + ", http: {path: /health}}\n";
  }

  @BeforeAll
  static void start() throws Exception {
    nginx = NginxMember.start(dir.resolve("nginx"));
    body = body(nginx.port());
    cluster = LocalCluster.start(dir, List.of("solo"), body, Map.of(), null);
    client = Vertx.vertx();
    web = WebClient.create(client);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (client != null) {
      await(client.close());
    }
    if (nginx != null) {
      nginx.close();
    }
  }

  @BeforeEach
  void restoreFiles() throws Exception {
    writeShared(body);
  }

  static void writeShared(String text) throws Exception {
    Files.writeString(LocalCluster.sharedFile(dir), "regions: [solo]\n" + text);
  }

  static HttpResponse<Buffer> send(String method, String path, String token) throws Exception {
    return await(
        web.request(
                io.vertx.core.http.HttpMethod.valueOf(method),
                cluster.port("solo"),
                "127.0.0.1",
                path)
            .putHeader("Authorization", "Bearer " + token)
            .send());
  }

  static JsonObject config() throws Exception {
    HttpResponse<Buffer> r = send("GET", "/api/v1/config", LocalCluster.TOKEN);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static List<String> targetIds() throws Exception {
    return send("GET", "/api/v1/targets", LocalCluster.TOKEN)
        .bodyAsJsonObject()
        .getJsonArray("targets")
        .stream()
        .map(t -> ((JsonObject) t).getString("id"))
        .map(String::valueOf)
        .toList();
  }

  @Test
  void anInvalidReloadListsEveryErrorWithItsPathAndChangesNothing() throws Exception {
    String hash = config().getString("configHash");
    writeShared(
        body.replace(
                "port: " + nginx.port() + ", http: {path: /health}}\n  - {id: b",
                "port: 0, http: {path: /health}}\n  - {id: b")
            + "  - {id: c, type: http, address: 127.0.0.1, port: 80, intervalMs: 10}\n");
    HttpResponse<Buffer> r = send("POST", "/api/v1/config/reload", LocalCluster.OPERATE_TOKEN);
    assertEquals(422, r.statusCode(), r.bodyAsString());
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
    JsonObject p = r.bodyAsJsonObject();
    assertEquals("https://quorate.io/problems/config-invalid", p.getString("type"));
    assertEquals(422, p.getInteger("status"));
    String file = LocalCluster.sharedFile(dir).toString();
    assertEquals(
        new JsonArray()
            .add(error(file, "targets[0].port", "must be between 1 and 65535"))
            .add(error(file, "targets[2].intervalMs", "must be >= 1000")),
        p.getJsonArray("errors"));
    assertEquals(hash, config().getString("configHash"), "same hash");
    assertEquals(List.of("a", "b"), targetIds(), "same targets");
    assertEquals("invalid", config().getJsonObject("lastReload").getString("outcome"));
    JsonObject audited = audit(1).getJsonObject(0);
    assertEquals("token:operator", audited.getString("actor"));
    assertEquals("refused", audited.getString("outcome"));
    assertEquals(
        new JsonObject().put("previousConfigHash", hash).put("problemType", "config-invalid"),
        audited.getJsonObject("details"));
    assertEquals(
        new JsonArray()
            .add("the new configuration is invalid")
            .add(file + ": targets[0].port: must be between 1 and 65535")
            .add(file + ": targets[2].intervalMs: must be >= 1000"),
        audited.getJsonArray("reasons"));
  }

  /** The newest {@code n} audit entries, each checked to be a config reload. */
  static JsonArray audit(int n) throws Exception {
    HttpResponse<Buffer> r = send("GET", "/api/v1/audit?limit=" + n, LocalCluster.TOKEN);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonArray entries = r.bodyAsJsonObject().getJsonArray("entries");
    assertEquals(n, entries.size(), entries.encodePrettily());
    for (Object e : entries) {
      assertEquals("config-reload", ((JsonObject) e).getString("action"));
      assertEquals(null, ((JsonObject) e).getString("pool"));
    }
    return entries;
  }

  static JsonObject error(String file, String path, String message) {
    return new JsonObject().put("file", file).put("path", path).put("message", message);
  }

  @Test
  void aRunTimeFixedFieldRefusesTheWholeReloadNamingIt() throws Exception {
    String hash = config().getString("configHash");
    writeShared(
        body.replace("heartbeatMs: 200", "heartbeatMs: 300")
            + "  - {id: c, type: http, address: 127.0.0.1, port: "
            + nginx.port()
            + ", http: {path: /health}}\n");
    HttpResponse<Buffer> r = send("POST", "/api/v1/config/reload", LocalCluster.OPERATE_TOKEN);
    assertEquals(422, r.statusCode(), r.bodyAsString());
    JsonObject p = r.bodyAsJsonObject();
    assertEquals("https://quorate.io/problems/config-needs-restart", p.getString("type"));
    assertEquals(
        new JsonArray()
            .add(
                error(
                    LocalCluster.sharedFile(dir).toString(),
                    "quorum.heartbeatMs",
                    "cannot change at run time; restart the agent")),
        p.getJsonArray("errors"));
    assertEquals(hash, config().getString("configHash"));
    assertEquals(List.of("a", "b"), targetIds(), "the valid target change was not applied");
    JsonObject details = audit(1).getJsonObject(0).getJsonObject("details");
    assertEquals("config-needs-restart", details.getString("problemType"));
    assertEquals(hash, details.getString("previousConfigHash"));
    assertTrue(!hash.equals(details.getString("configHash")), "the refused file's own hash");
  }

  @Test
  void theReadScopeMayLookButNotReload() throws Exception {
    assertEquals(403, send("POST", "/api/v1/config/reload", LocalCluster.TOKEN).statusCode());
    assertEquals(401, send("GET", "/api/v1/config", "wrong-token-0123456789").statusCode());
  }

  @Test
  void aValidReloadAnswersItsReportAndOnlyOneRunsAtATime() throws Exception {
    String before = config().getString("configHash");
    writeShared(body.replace("  - {id: b", "  - {id: c"));
    Future<ReloadReport> first = cluster.agent("solo").reload();
    Future<ReloadReport> second = cluster.agent("solo").reload();
    ExecutionException busy =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> await(second));
    assertInstanceOf(ConfigReloads.Busy.class, busy.getCause());
    ReloadReport report = await(first);
    assertEquals(List.of("c"), report.diff().targets().added());
    assertEquals(List.of("b"), report.diff().targets().removed());
    assertEquals(List.of("a"), report.diff().targets().unchanged());
    assertEquals(before, report.previousHash());
    JsonObject now = config();
    assertEquals(report.hash(), now.getString("configHash"));
    assertTrue(!report.hash().equals(before));
    assertEquals("applied", now.getJsonObject("lastReload").getString("outcome"));
    assertEquals(List.of("a", "c"), targetIds());
    // the same files again: a reload that changes nothing
    HttpResponse<Buffer> r = send("POST", "/api/v1/config/reload", LocalCluster.OPERATE_TOKEN);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(report.hash(), r.bodyAsJsonObject().getString("configHash"));
    assertEquals(
        new JsonObject()
            .put("added", new JsonArray())
            .put("changed", new JsonArray())
            .put("removed", new JsonArray())
            .put("unchanged", 2),
        r.bodyAsJsonObject().getJsonObject("targets"));
    writeShared(body); // back to a and b for the other tests
    assertEquals(
        200, send("POST", "/api/v1/config/reload", LocalCluster.OPERATE_TOKEN).statusCode());

    // one audit entry per attempt, newest first; the busy one was refused before the first ended
    JsonArray entries = audit(4);
    assertEquals(
        List.of("applied", "unchanged", "applied", "refused"),
        entries.stream().map(e -> ((JsonObject) e).getString("outcome")).toList());
    assertEquals(
        List.of("token:operator", "token:operator", "agent:solo", "agent:solo"),
        entries.stream().map(e -> ((JsonObject) e).getString("actor")).toList());
    assertEquals(
        new JsonObject()
            .put("previousConfigHash", before)
            .put("configHash", report.hash())
            .put("targetsAdded", "1")
            .put("targetsChanged", "0")
            .put("targetsRemoved", "1")
            .put("poolsAdded", "0")
            .put("poolsChanged", "0")
            .put("poolsRemoved", "0"),
        entries.getJsonObject(2).getJsonObject("details"));
    assertEquals(
        new JsonArray().add("targets +1 ~0 -1, pools +0 ~0 -0"),
        entries.getJsonObject(2).getJsonArray("reasons"));
    assertEquals(
        "reload-in-progress",
        entries.getJsonObject(3).getJsonObject("details").getString("problemType"));
    assertEquals(
        report.hash(), entries.getJsonObject(1).getJsonObject("details").getString("configHash"));
  }
}
