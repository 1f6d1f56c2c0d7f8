package io.quorate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real agents on loopback and a real nginx member: a window POSTed to one region covers the
 * target in all three within seconds; the member going down inside it raises no alert and writes no
 * DOWN row; deleting the window in another region shows DOWN everywhere and delivers exactly one
 * alert.
 */
@Timeout(120)
class MaintenanceThreeRegionsTest {
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;
  final Vertx consumerVertx = Vertx.vertx();
  final List<JsonObject> delivered = new CopyOnWriteArrayList<>();
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  LocalCluster cluster;
  NginxMember web;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (web != null) {
      web.close();
    }
    ApiPoll.await(consumerVertx.close());
  }

  @Test
  void aWindowFromOneRegionCoversAllAndItsEndAlertsOnce() throws Exception {
    int hook = startConsumer();
    web = NginxMember.start(dir.resolve("nginx"));
    String shared =
        String.join(
            "\n",
            "quorum: {heartbeatMs: 200, graceMs: 1000, standbyMs: 1500}",
            "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}",
            "targets:",
            "  - {id: web-1, type: http, address: 127.0.0.1, port: "
                + web.port()
                + ", http: {path: /health}}",
            "alerts:",
            "  channels:",
            "    - {id: hook, type: webhook, url: 'http://127.0.0.1:" + hook + "/hook',",
            "       secrets: ['${env:HOOK}'], allowHosts: [127.0.0.1]}",
            "  rules:",
            "    - {kinds: ['verdict.*'], channels: [hook]}",
            "");
    cluster = LocalCluster.start(dir, REGIONS, shared, Map.of("HOOK", SECRET), null);
    awaitEverywhere("UP before the window", "UP/-");

    Instant now = Instant.now();
    JsonObject window =
        new JsonObject()
            .put("id", "web-upgrade")
            .put("title", "Web upgrade")
            .put("targets", List.of("web-1"))
            .put("start", now.toString())
            .put("end", now.plus(Duration.ofHours(1)).toString());
    assertEquals(201, send("eu-west", "POST", "/api/v1/maintenance", window.encode()).statusCode());
    long posted = System.nanoTime();
    awaitEverywhere("MAINTENANCE everywhere", "MAINTENANCE/UP");
    long coveredMs = (System.nanoTime() - posted) / 1_000_000;

    web.stop();
    awaitEverywhere("DOWN underneath, MAINTENANCE shown", "MAINTENANCE/DOWN");
    Poll.during(
        Duration.ofSeconds(2), "no alert inside the window", () -> delivered, List::isEmpty);
    for (String r : REGIONS) {
      assertEquals(
          List.of("UNKNOWN>UP", "UP>MAINTENANCE"), rows(r), r + ": no DOWN row in the window");
    }

    assertEquals(
        204, send("us-east", "DELETE", "/api/v1/maintenance/web-upgrade", null).statusCode());
    awaitEverywhere("DOWN shown after the delete", "DOWN/-");
    Poll.until(Duration.ofSeconds(15), "one alert", () -> delivered, l -> !l.isEmpty());
    Poll.during(Duration.ofSeconds(2), "exactly one", () -> delivered, l -> l.size() == 1);
    assertEquals("verdict.down", delivered.get(0).getString("type"));
    for (String r : REGIONS) {
      assertEquals(List.of("UNKNOWN>UP", "UP>MAINTENANCE", "MAINTENANCE>DOWN"), rows(r), r);
    }
    System.out.println("maintenance covered all regions in " + coveredMs + " ms");
  }

  private int startConsumer() throws Exception {
    HttpServer server =
        consumerVertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              delivered.add(body.toJsonObject());
                              req.response().setStatusCode(204).end();
                            }));
    return ApiPoll.await(server.listen(0, "127.0.0.1")).actualPort();
  }

  /** Until every region shows "state/underlying" ("-" when not in maintenance). */
  private void awaitEverywhere(String what, String expected) {
    Poll.until(
        Duration.ofSeconds(20),
        what,
        () -> REGIONS.stream().map(this::shown).toList(),
        l -> l.stream().allMatch(expected::equals));
  }

  private String shown(String region) {
    try {
      HttpResponse<String> r = send(region, "GET", "/api/v1/verdicts/web-1", null);
      JsonObject v = new JsonObject(r.body());
      return v.getString("state") + "/" + v.getString("underlying", "-");
    } catch (Exception e) {
      return "error: " + e;
    }
  }

  private List<String> rows(String region) throws Exception {
    VerdictHistory h = cluster.agent(region).history();
    Instant now = Instant.now();
    return ApiPoll.await(
            h.transitions("web-1", now.minus(Duration.ofHours(1)), now.plusSeconds(60)))
        .stream()
        .map(t -> t.from() + ">" + t.to())
        .toList();
  }

  private HttpResponse<String> send(String region, String method, String path, String body)
      throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port(region) + path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + LocalCluster.OPERATE_TOKEN)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
