package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.api.OpenApi;
import io.quorate.testsupport.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo's levers over HTTP: scopes, problems, and what they change. */
@Timeout(120)
class DemoApiTest {
  @TempDir static Path dir;
  private static Demo demo;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() throws Exception {
    DemoOptions o =
        new DemoOptions(
            Ports.freeRange(3),
            Ports.freeRange(3),
            Ports.freeRange(1),
            Ports.freeRange(1),
            Ports.freeRange(1),
            Ports.freeRange(1),
            Ports.freeRange(1));
    demo =
        Demo.start(o, Files.createDirectory(dir.resolve("demo")))
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (demo != null) {
      demo.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> call(String method, String path, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + demo.options().apiPort(1) + "/api/v1/demo" + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject member(JsonObject state, String id) {
    for (Object o : state.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      if (m.getString("id").equals(id)) {
        return m;
      }
    }
    throw new AssertionError("no member " + id + " in " + state);
  }

  @Test
  void leversNeedTheOperateScopeAndAnswerProblems() throws Exception {
    assertEquals(401, call("GET", "", null).statusCode());
    HttpResponse<String> state = call("GET", "", DemoConfig.READ_TOKEN);
    assertEquals(200, state.statusCode());
    JsonObject s = new JsonObject(state.body());
    assertEquals(7, s.getJsonArray("members").size(), "3 web, 2 mail, 2 dns");
    assertEquals(3, s.getJsonArray("regions").size());

    assertEquals(401, call("POST", "/members/web-1/stop", null).statusCode());
    HttpResponse<String> forbidden = call("POST", "/members/web-1/stop", DemoConfig.READ_TOKEN);
    assertEquals(403, forbidden.statusCode());
    assertEquals(
        "application/problem+json", forbidden.headers().firstValue("content-type").orElse(""));
    HttpResponse<String> missing = call("POST", "/members/web-9/stop", DemoConfig.OPERATE_TOKEN);
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("no sample server 'web-9'"), missing.body());
    assertEquals(404, call("POST", "/regions/mars/isolate", DemoConfig.OPERATE_TOKEN).statusCode());
    assertEquals(405, call("GET", "/members/web-1/stop", DemoConfig.OPERATE_TOKEN).statusCode());
    assertTrue(
        member(new JsonObject(call("GET", "", DemoConfig.READ_TOKEN).body()), "web-1")
            .getBoolean("running"),
        "refused requests changed nothing");
  }

  @Test
  void stopStartIsolateHeal() throws Exception {
    JsonObject stopped =
        new JsonObject(call("POST", "/members/dns-2/stop", DemoConfig.OPERATE_TOKEN).body());
    assertFalse(member(stopped, "dns-2").getBoolean("running"));
    JsonObject started =
        new JsonObject(call("POST", "/members/dns-2/start", DemoConfig.OPERATE_TOKEN).body());
    assertTrue(member(started, "dns-2").getBoolean("running"));

    JsonObject cut =
        new JsonObject(call("POST", "/regions/us-east/isolate", DemoConfig.OPERATE_TOKEN).body());
    JsonArray regions = cut.getJsonArray("regions");
    assertEquals(
        new JsonObject().put("id", "us-east").put("isolated", true), regions.getJsonObject(1));
    assertTrue(demo.isolated("us-east"));
    assertFalse(demo.isolated("eu-west"), "only links touching us-east are cut");
    call("POST", "/regions/us-east/heal", DemoConfig.OPERATE_TOKEN);
    assertFalse(demo.isolated("us-east"));
  }

  @Test
  void demoRoutesAreTheDocumentedDemoOnlyPaths() {
    JsonObject paths = new JsonObject(OpenApi.document()).getJsonObject("paths");
    Set<String> demoOnly = new TreeSet<>();
    for (String p : paths.fieldNames()) {
      for (String m : paths.getJsonObject(p).fieldNames()) {
        if (paths.getJsonObject(p).getJsonObject(m).getBoolean("x-demo-only", false)) {
          demoOnly.add(m + " " + p);
        }
      }
    }
    Set<String> served = new TreeSet<>();
    for (String route : io.quorate.testsupport.Routes.of(demo.agents().get(0).router())) {
      if (route.contains("/api/v1/demo")) {
        String[] m = route.split(" ", 2);
        served.add(m[0].toLowerCase(java.util.Locale.ROOT) + " " + m[1]);
      }
    }
    assertEquals(demoOnly, served, "what a demo agent serves is what is documented as demo-only");
    assertEquals(
        Set.of(
            "get /api/v1/demo",
            "post /api/v1/demo/members/{id}/stop",
            "post /api/v1/demo/members/{id}/start",
            "post /api/v1/demo/regions/{id}/isolate",
            "post /api/v1/demo/regions/{id}/heal"),
        demoOnly);
  }
}
