package io.quorate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.cli.RunCommand;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent as a user runs it: config files on disk, a real BIND, the scheduler, the API with
 * tokens, /metrics with Vert.x and JVM meters.
 */
class AgentTest {
  static final String TOKEN = "agent-test-read-token-0123456789";
  static Bind9Lab bind;

  @TempDir static Path dir;

  @BeforeAll
  static void startBind() {
    bind = Bind9Lab.start("example.test", Bind9Lab.exampleZone(3, ""));
  }

  @AfterAll
  static void stopBind() {
    bind.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Polls {@code GET path} every 100 ms until {@code done} holds, for at most 15 s. */
  static Future<JsonObject> until(
      Vertx vertx, WebClient c, int port, String path, Predicate<JsonObject> done) {
    return new io.quorate.testsupport.ApiPoll(vertx, TOKEN)
        .until(port, path, java.time.Duration.ofSeconds(15), done);
  }

  @Test
  void probesRealBindAndServesStateAndMetrics() throws Exception {
    int apiPort = Ports.free();
    Path conf = dir.resolve("quorate.yaml");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "regions: [eu-west, us-east, ap-southeast]",
            "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 2, rise: 2}",
            "groups: [{id: dns, name: DNS}]",
            "targets:",
            "  - id: ns1-www",
            "    type: dns",
            "    group: dns",
            "    address: 127.0.0.1",
            "    port: " + bind.port(),
            "    dns: {name: www.example.test, qtype: A, authoritative: true,"
                + " answer: {equals: [127.0.0.10]}}",
            "  - id: ns1-wrong",
            "    type: dns",
            "    group: dns",
            "    address: 127.0.0.1",
            "    port: " + bind.port(),
            "    dns: {name: www.example.test, qtype: A, answer: {equals: [192.0.2.1]}}",
            ""));
    Path region = dir.resolve("eu-west.yaml");
    Files.writeString(
        region,
        String.join(
            "\n",
            "region: eu-west",
            "listen: {host: 127.0.0.1, port: " + apiPort + "}",
            "dataDir: data",
            "tokens:",
            "  - {name: ops, token: '${env:T}', scopes: [read]}",
            ""));
    LoadedConfig cfg = new ConfigLoader(Map.of("T", TOKEN)::get).load(conf, region);
    PrometheusMeterRegistry registry = io.quorate.metrics.Registries.prometheus();
    Vertx vertx = RunCommand.newVertx(registry);
    try {
      await(Agent.standard(vertx, cfg, registry).start());
      WebClient c = WebClient.create(vertx);
      JsonObject up =
          await(
              until(
                  vertx,
                  c,
                  apiPort,
                  "/api/v1/targets/ns1-www",
                  j -> "UP".equals(j.getString("state"))));
      assertEquals("eu-west", up.getString("region"));
      assertEquals("UP", up.getJsonObject("latest").getString("outcome"));
      JsonObject down =
          await(
              until(
                  vertx,
                  c,
                  apiPort,
                  "/api/v1/targets/ns1-wrong",
                  j -> "DOWN".equals(j.getString("state"))));
      assertEquals("assertion", down.getJsonObject("latest").getString("errorKind"));
      JsonObject obs =
          await(
              until(
                  vertx,
                  c,
                  apiPort,
                  "/api/v1/observations?target=ns1-www",
                  j -> j.getJsonArray("observations").size() >= 2));
      assertEquals(
          "ns1-www", obs.getJsonArray("observations").getJsonObject(0).getString("targetId"));
      assertEquals(200, await(c.get(apiPort, "127.0.0.1", "/readyz").send()).statusCode());
      for (int i = 0; i < 5; i++) {
        // made-up methods must not become new metric series (unbounded memory)
        await(
            c.request(
                    io.vertx.core.http.HttpMethod.valueOf("XMETHOD" + i),
                    apiPort,
                    "127.0.0.1",
                    "/healthz")
                .send());
      }
      String metrics = await(c.get(apiPort, "127.0.0.1", "/metrics").send()).bodyAsString();
      assertTrue(!metrics.contains("XMETHOD"), "custom methods are folded into OTHER");
      assertTrue(
          metrics.contains(
              "quorate_target_state{region=\"eu-west\",state=\"up\","
                  + "target=\"ns1-www\",type=\"dns\"} 1.0"),
          metrics);
      assertTrue(
          metrics.contains(
              "quorate_probe_duration_seconds_count{region=\"eu-west\","
                  + "target=\"ns1-www\",type=\"dns\"}"),
          metrics);
      assertTrue(metrics.contains("quorate_scheduler_lag_seconds_bucket"), "lag histogram");
      assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
      assertTrue(metrics.contains("vertx_http_server_requests_total"), "Vert.x metrics");
    } finally {
      await(vertx.close());
    }
  }
}
