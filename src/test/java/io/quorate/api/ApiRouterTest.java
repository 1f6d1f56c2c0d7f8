package io.quorate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.config.Secret;
import io.quorate.config.Target;
import io.quorate.metrics.ProbeMetrics;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.quorum.LocalStates;
import io.quorate.quorum.Observation;
import io.quorate.store.RecentObservations;
import io.quorate.testsupport.Targets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRouterTest {
  static final String READ = "read-token-0123456789abcdef";
  static final String OPERATE_ONLY = "operate-token-0123456789abcdef";

  Vertx vertx;
  WebClient client;
  int port;
  final AtomicBoolean ready = new AtomicBoolean(true);
  Router router;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    Target a = Targets.fake("alpha", 10_000, 1_000);
    Target b = Targets.fake("beta", 10_000, 1_000);
    LocalStates states = new LocalStates(clock, List.of(a, b));
    RecentObservations recent = new RecentObservations(10, 100);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProbeMetrics metrics = new ProbeMetrics(registry, "eu-west");
    for (int i = 0; i < 3; i++) {
      ProbeResult r =
          ProbeResult.down(
              "alpha",
              ErrorKind.REFUSED,
              "connection refused #" + i,
              clock.instant(),
              Timings.total(1.5));
      Observation o = new Observation("eu-west", 100 + i, r);
      recent.add(o);
      states.record(o, c -> {});
      metrics.recordResult(a, r);
    }
    BearerAuth auth =
        new BearerAuth(
            List.of(
                new ApiToken("grafana", new Secret("${env:R}", READ), Set.of(Scope.READ)),
                new ApiToken(
                    "robot", new Secret("${env:O}", OPERATE_ONLY), Set.of(Scope.OPERATE))));
    HealthResource health = new HealthResource(vertx, ready::get);
    router =
        new ApiRouter(vertx, auth, health, registry)
            .read("targets", new TargetsResource(vertx, "eu-west", states).router())
            .read("observations", new ObservationsResource(vertx, states, recent).router())
            .read("events", new EventsResource(vertx).router())
            .build();
    ApiVerticle api = new ApiVerticle("127.0.0.1", 0, () -> router);
    await(vertx.deployVerticle(api));
    port = api.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  HttpResponse<Buffer> get(String path, String token) throws Exception {
    var req = client.get(port, "127.0.0.1", path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return await(req.send());
  }

  static void assertProblem(HttpResponse<Buffer> r, int status, String type) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals("application/problem+json", r.getHeader("Content-Type"));
    JsonObject p = r.bodyAsJsonObject();
    assertEquals(Problem.BASE + type, p.getString("type"));
    assertEquals(status, p.getInteger("status"));
    assertNotNull(p.getString("title"));
    assertNotNull(p.getString("detail"));
    assertTrue(!r.bodyAsString().contains("Exception"), "no stack traces: " + r.bodyAsString());
  }

  @Test
  void healthNeedsNoTokenAndReadinessFollowsTheScheduler() throws Exception {
    assertEquals(200, get("/healthz", null).statusCode());
    assertEquals(200, get("/readyz", null).statusCode());
    ready.set(false);
    try {
      assertEquals(503, get("/readyz", null).statusCode());
    } finally {
      ready.set(true);
    }
  }

  @Test
  void missingTokenIs401WithBearerChallenge() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/targets", null);
    assertProblem(r, 401, "unauthorized");
    assertEquals("Bearer realm=\"quorate\"", r.getHeader("WWW-Authenticate"));
  }

  @Test
  void wrongTokenIs401InvalidToken() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/targets", "not-a-token-at-all-really");
    assertProblem(r, 401, "unauthorized");
    assertEquals(
        "Bearer realm=\"quorate\", error=\"invalid_token\"", r.getHeader("WWW-Authenticate"));
    var basic =
        await(
            client
                .get(port, "127.0.0.1", "/api/v1/targets")
                .putHeader("Authorization", "Basic " + READ)
                .send());
    assertProblem(basic, 401, "unauthorized");
  }

  @Test
  void tokenWithoutReadScopeIs403() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/observations", OPERATE_ONLY);
    assertProblem(r, 403, "forbidden");
    assertTrue(r.getHeader("WWW-Authenticate").contains("insufficient_scope"));
  }

  @Test
  void listsTargetsWithStateAndLatest() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/targets", READ);
    assertEquals(200, r.statusCode());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("eu-west", body.getString("region"));
    assertEquals(2, body.getJsonArray("targets").size());
    JsonObject alpha = body.getJsonArray("targets").getJsonObject(0);
    assertEquals("alpha", alpha.getString("id"));
    assertEquals("DOWN", alpha.getString("state"));
    assertEquals("2026-11-22T10:00:00Z", alpha.getString("since"));
    assertEquals("refused", alpha.getJsonObject("latest").getString("errorKind"));
    assertEquals(102, alpha.getJsonObject("latest").getLong("seq"));
    JsonObject beta = body.getJsonArray("targets").getJsonObject(1);
    assertEquals("UNKNOWN", beta.getString("state"));
    assertEquals(null, beta.getValue("latest"));
  }

  @Test
  void oneTargetAndUnknownTarget() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/targets/alpha", READ);
    assertEquals(200, r.statusCode());
    assertEquals("alpha", r.bodyAsJsonObject().getString("id"));
    assertProblem(get("/api/v1/targets/nope", READ), 404, "not-found");
  }

  @Test
  void observationsNewestFirstWithValidatedLimit() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/observations?target=alpha&limit=2", READ);
    assertEquals(200, r.statusCode());
    var list = r.bodyAsJsonObject().getJsonArray("observations");
    assertEquals(2, list.size());
    assertEquals(102, list.getJsonObject(0).getLong("seq"));
    assertEquals(101, list.getJsonObject(1).getLong("seq"));
    assertEquals(
        3,
        get("/api/v1/observations", READ).bodyAsJsonObject().getJsonArray("observations").size());
    assertProblem(get("/api/v1/observations?limit=0", READ), 400, "bad-request");
    assertProblem(get("/api/v1/observations?limit=abc", READ), 400, "bad-request");
    assertProblem(get("/api/v1/observations?limit=1001", READ), 400, "bad-request");
    assertProblem(get("/api/v1/observations?target=ghost", READ), 404, "not-found");
  }

  @Test
  void unknownPathAndWrongMethodAreProblems() throws Exception {
    assertProblem(get("/nowhere", READ), 404, "not-found");
    var del =
        await(
            client
                .request(HttpMethod.DELETE, port, "127.0.0.1", "/api/v1/targets/alpha")
                .putHeader("Authorization", "Bearer " + READ)
                .send());
    assertProblem(del, 405, "method-not-allowed");
    var post = await(client.post(port, "127.0.0.1", "/healthz").send());
    assertProblem(post, 405, "method-not-allowed");
  }

  @Test
  void headIsServedLikeGet() throws Exception {
    var head = await(client.head(port, "127.0.0.1", "/healthz").send());
    assertEquals(200, head.statusCode());
    var api =
        await(
            client
                .head(port, "127.0.0.1", "/api/v1/targets")
                .putHeader("Authorization", "Bearer " + READ)
                .send());
    assertEquals(200, api.statusCode());
  }

  @Test
  void nonStandardMethodsAreRefusedBeforeRouting() throws Exception {
    var r =
        await(
            client
                .request(HttpMethod.valueOf("X" + "A".repeat(200)), port, "127.0.0.1", "/healthz")
                .send());
    assertProblem(r, 501, "not-implemented");
  }

  @Test
  void oversizedHeadersAndUrisAreProblems() throws Exception {
    var uri = await(client.get(port, "127.0.0.1", "/healthz?" + "a".repeat(9000)).send());
    assertProblem(uri, 414, "uri-too-long");
    var header =
        await(
            client
                .get(port, "127.0.0.1", "/healthz")
                .putHeader("X-Big", "b".repeat(20_000))
                .send());
    assertProblem(header, 431, "header-fields-too-large");
  }

  @Test
  void eventsStreamServerSentEvents() throws Exception {
    io.vertx.core.http.HttpClient http = vertx.createHttpClient();
    try {
      io.vertx.core.Promise<String> got = io.vertx.core.Promise.promise();
      StringBuilder buf = new StringBuilder();
      java.util.concurrent.atomic.AtomicBoolean published =
          new java.util.concurrent.atomic.AtomicBoolean();
      http.request(
              new io.vertx.core.http.RequestOptions()
                  .setHost("127.0.0.1")
                  .setPort(port)
                  .setURI("/api/v1/events")
                  .putHeader("Authorization", "Bearer " + READ))
          .compose(io.vertx.core.http.HttpClientRequest::send)
          .onSuccess(
              res -> {
                // handler set on the event loop as the response arrives: no chunk is missed
                res.handler(
                    b -> {
                      buf.append(b.toString());
                      if (buf.indexOf("event: verdict") >= 0
                          && buf.indexOf("\n\n", buf.indexOf("event: verdict")) > 0) {
                        got.tryComplete(res.getHeader("Content-Type") + "|" + buf);
                      } else if (buf.indexOf(": quorate events") >= 0
                          && published.compareAndSet(false, true)) {
                        EventsResource.publish(
                            vertx, "verdict", new JsonObject().put("targetId", "alpha"));
                      }
                    });
              })
          .onFailure(got::tryFail);
      String text = await(got.future());
      assertTrue(text.startsWith("text/event-stream|"), text);
      assertTrue(text.contains("event: verdict\ndata: {\"targetId\":\"alpha\"}\n\n"), text);
      assertProblem(get("/api/v1/events", null), 401, "unauthorized");
    } finally {
      http.close();
    }
  }

  @Test
  void oversizedBodyIsRefusedWith413() throws Exception {
    Buffer big = Buffer.buffer(new byte[(int) ApiRouter.BODY_LIMIT_BYTES + 1]);
    var r =
        await(
            client
                .post(port, "127.0.0.1", "/api/v1/targets")
                .putHeader("Authorization", "Bearer " + READ)
                .putHeader("Content-Type", "application/json")
                .sendBuffer(big));
    assertProblem(r, 413, "payload-too-large");
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    HttpResponse<Buffer> r = get("/metrics", null);
    assertEquals(200, r.statusCode());
    String body = r.bodyAsString();
    assertTrue(body.contains("quorate_probe_duration_seconds_bucket{"), body);
    assertTrue(
        body.contains(
            "quorate_probe_results_total{error_kind=\"refused\",outcome=\"down\",region=\"eu-west\","
                + "target=\"alpha\",type=\"dns\"} 3.0"),
        body);
  }
}
