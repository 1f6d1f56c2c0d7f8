package io.quorate.api;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.Agent;
import io.quorate.cli.RunCommand;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.metrics.Registries;
import io.quorate.testsupport.ChromeLab;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in real headless Chromium, against a real single-region agent probing a real
 * nginx: the member shows UP, nginx stops, and without a reload the member's label turns DOWN and
 * the incident appears (SSE over fetch streaming). The page is mounted the way the agent will mount
 * it: its router at {@code /*} before the agent's own, on one server.
 */
@TestMethodOrder(OrderAnnotation.class)
@org.junit.jupiter.api.Timeout(180)
class StatusPageBrowserTest {
  static final String TOKEN = "status-page-reader-0123456789";
  static final Duration LIMIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static NginxMember nginx;
  static Vertx vertx;
  static int port;
  static ChromeLab chrome;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    nginx = NginxMember.start(Files.createDirectories(dir.resolve("nginx")));
    Path shared = dir.resolve("quorate.yaml");
    Files.writeString(
        shared,
        "regions: [solo]\n"
            + "quorum: {heartbeatMs: 200, graceMs: 1000}\n"
            + "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}\n"
            + "groups: [{id: web, name: Web hosting, description: Our web servers}]\n"
            + "targets:\n"
            + "  - {id: web-1, type: http, group: web, address: 127.0.0.1, port: "
            + nginx.port()
            + ", http: {path: /health}}\n");
    Path region = dir.resolve("solo.yaml");
    Files.writeString(
        region,
        "region: solo\nlisten: {host: 127.0.0.1, port: "
            + Ports.free()
            + "}\ndataDir: "
            + dir.resolve("data")
            + "\ntokens:\n  - {name: reader, token: '${env:T}', scopes: [read]}\n"
            + "mesh:\n  key: '${env:K}'\n  peers: []\n");
    Map<String, String> env = Map.of("T", TOKEN, "K", "mesh-key-solo-0123456789abcdefghij");
    LoadedConfig cfg = new ConfigLoader(env::get).load(shared, region);
    var registry = Registries.prometheus();
    vertx = RunCommand.newVertx(registry);
    Agent agent = await(Agent.standard(vertx, cfg, registry).start());
    Router root = Router.router(vertx);
    root.route("/*").subRouter(new StatusPageResource(vertx).router());
    root.route("/*").subRouter(agent.router());
    port = Ports.free();
    HttpServer server = vertx.createHttpServer().requestHandler(root);
    await(server.listen(port, "127.0.0.1"));
    chrome = ChromeLab.start(Files.createDirectories(dir.resolve("chrome")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (chrome != null) {
      chrome.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
    if (nginx != null) {
      nginx.close();
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void pageIsServedAtRootWithoutShadowingTheApi() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").get());
    String csp = page.headers().firstValue("Content-Security-Policy").get();
    assertTrue(csp.startsWith("default-src 'none'; script-src 'sha256-"), csp);
    assertTrue(csp.contains("connect-src 'self'"), csp);
    assertTrue(page.body().contains("<h1 id=\"title\">Service status</h1>"));
    assertTrue(page.body().contains("data-mode=\"token\""));
    assertTrue(page.body().length() < 60 * 1024, "page size " + page.body().length());
    // no external assets: nothing is loaded from another origin
    assertTrue(!page.body().contains("http://") && !page.body().contains("https://"));
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(200, get("/metrics").statusCode());
    assertEquals(401, get("/api/v1/verdicts").statusCode());
    assertEquals(401, get("/api/v1/status").statusCode());
    // not public: no anonymous document
    HttpResponse<String> json = get("/status.json");
    assertEquals(404, json.statusCode());
    assertTrue(json.body().contains("not public"), json.body());
    assertEquals(404, get("/index.html").statusCode());
  }

  @Test
  @Order(2)
  void aRefusedTokenAsksForAnotherOne() throws Exception {
    chrome.open("http://127.0.0.1:" + port + "/?token=wrong-token");
    Object shown =
        chrome.until(
            "return document.getElementById('auth').classList.contains('shown')"
                + " + '|' + document.getElementById('error').textContent"
                + " + '|' + location.search",
            LIMIT,
            v -> String.valueOf(v).startsWith("true|"));
    assertEquals("true|the access token was refused (401)|", shown);
  }

  @Test
  @Order(3)
  void durationsReadAsTheTwoLargestUnits() throws Exception {
    chrome.open("http://127.0.0.1:" + port + "/?token=" + TOKEN);
    Object shown =
        chrome.eval(
            "const d = window.quorateStatus.duration;"
                + "return [d(((12 * 24 + 3) * 3600 + 59) * 1000), d((3 * 3600 + 5 * 60) * 1000),"
                + " d(4 * 60000 + 999), d(20000), d(-5000)].join(',');");
    assertEquals("12 d 3 h,3 h 5 min,4 min,20 s,0 s", shown);
  }

  @Test
  @Order(4)
  void memberGoesDownLiveAndTheIncidentAppears() throws Exception {
    chrome.open("http://127.0.0.1:" + port + "/?token=" + TOKEN);
    String member =
        "const li = document.querySelector('#groups section[data-group=\"web\"]"
            + " li.member[data-target=\"web-1\"]');"
            + "return li ? li.dataset.state + '|' + li.querySelector('.badge .label').textContent"
            + " + '|' + li.querySelector('.since').textContent"
            + " + '|' + [...li.querySelectorAll('.votes .label')].map(e => e.textContent)"
            + " + '|' + document.body.dataset.stream : null;";
    Object up = chrome.until(member, LIMIT, v -> String.valueOf(v).matches("UP\\|Up\\|.*open"));
    assertTrue(
        String.valueOf(up).matches("UP\\|Up\\|online for \\d+ s\\|solo Up\\|open"),
        String.valueOf(up));
    assertEquals(
        "Web hosting|Our web servers|Up|All systems operational",
        chrome.eval(
            "const g = document.querySelector('#groups section[data-group=\"web\"]');"
                + "return g.querySelector('h3').textContent + '|' + g.querySelector('.desc')"
                + ".textContent + '|' + g.querySelector('.box-head .label').textContent"
                + " + '|' + document.getElementById('overall').textContent;"));
    assertEquals(
        0L,
        ((Number) chrome.eval("return document.querySelectorAll('#incidents li').length"))
            .longValue());
    chrome.eval("window.__noReload = true; return true;");

    nginx.stop();
    Object down =
        chrome.until(member, LIMIT, v -> String.valueOf(v).matches("DOWN\\|Down\\|.*solo Down.*"));
    assertTrue(
        String.valueOf(down).matches("DOWN\\|Down\\|down for \\d+ s\\|solo Down\\|open"),
        String.valueOf(down));
    Object incident =
        chrome.eval(
            "return [...document.querySelectorAll('#incidents li')]"
                + ".map(li => li.dataset.target + ':' + li.dataset.state + ':'"
                + " + li.querySelector('strong').textContent).join(',')"
                + " + '|' + document.getElementById('no-incidents').hidden"
                + " + '|' + window.__noReload + '|' + document.body.dataset.loads"
                + " + '|' + (Number(document.body.dataset.events) > 0);");
    // one load, no reload, no reconnect: the change arrived as an SSE event (the document is
    // then re-read for the region dots, which is not a reload)
    assertEquals("web-1:DOWN:web-1 is down|true|true|1|true", incident);
    assertEquals(
        "Major outage", chrome.eval("return document.getElementById('overall').textContent;"));
    chrome.screenshot(Path.of("target", "status-page-down.png"));
    assertTrue(Files.size(Path.of("target", "status-page-down.png")) > 1000);
  }
}
