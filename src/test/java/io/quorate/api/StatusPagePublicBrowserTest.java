package io.quorate.api;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.Agent;
import io.quorate.cli.RunCommand;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.config.MaintenanceWindow;
import io.quorate.config.QuorateConfig;
import io.quorate.metrics.Registries;
import io.quorate.testsupport.ChromeLab;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public status page in real headless Chromium against a real agent probing a real nginx: no
 * token, configured group and member names, a member in a maintenance window shown as "Maintenance"
 * with its notice, a drained pool member shown apart as "Being prepared", 90 labelled uptime bars,
 * and no internal string (address, port, check type, region, pool, zone, target id) in the JSON or
 * in the page's text.
 */
@TestMethodOrder(OrderAnnotation.class)
@org.junit.jupiter.api.Timeout(180)
class StatusPagePublicBrowserTest {
  static final Duration LIMIT = Duration.ofSeconds(20);
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path dir;
  static NginxMember nginx;
  static Vertx vertx;
  static int port;
  static ChromeLab chrome;
  static List<String> internal;

  @BeforeAll
  static void start() throws Exception {
    nginx = NginxMember.start(Files.createDirectories(dir.resolve("nginx")));
    int dns = Ports.free();
    String target = "address: 127.0.0.1, port: " + nginx.port();
    Path shared = dir.resolve("quorate.yaml");
    Files.writeString(
        shared,
        String.join(
            "\n",
            "regions: [solo]",
            "quorum: {heartbeatMs: 200, graceMs: 1000}",
            "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}",
            "groups:",
            "  - {id: webfarm, name: Web hosting, description: Shared hosting servers}",
            "  - {id: mailfarm, name: Email}",
            "targets:",
            "  - {id: web-1, type: http, group: webfarm, " + target + ", http: {path: /health}}",
            "  - {id: web-2, type: http, group: webfarm, " + target + ", http: {path: /health}}",
            "  - {id: mx-a, type: tcp, group: mailfarm, " + target + "}",
            "zones:",
            "  - zone: status.test",
            "    provider: embedded",
            "    embedded:",
            "      soa: {mname: ns1.status.test, rname: hostmaster.status.test}",
            "      nameServers: [ns1.status.test]",
            "      records: [{name: ns1.status.test, type: A, value: 127.0.0.1}]",
            "pools:",
            "  - id: wwwpool",
            "    zone: status.test",
            "    name: www.status.test",
            "    type: a",
            "    members:",
            "      - {id: one, value: 127.0.0.1, target: web-1}",
            "      - {id: two, value: 127.0.0.2, target: web-2, drained: true}",
            "statusPage:",
            "  title: Example Hosting status",
            "  public: true",
            "  members: {web-1: Web server 1, web-2: Web server 2, mx-a: Mail server}",
            ""));
    Path region = dir.resolve("solo.yaml");
    Files.writeString(
        region,
        "region: solo\nlisten: {host: 127.0.0.1, port: "
            + Ports.free()
            + "}\nauthoritative: {host: 127.0.0.1, port: "
            + dns
            + "}\ndataDir: "
            + dir.resolve("data")
            + "\ntokens:\n  - {name: reader, token: '${env:T}', scopes: [read]}\n"
            + "mesh:\n  key: '${env:K}'\n  peers: []\n");
    Map<String, String> env =
        Map.of("T", "status-public-reader-0123456789", "K", "mesh-key-solo-0123456789abcdefghij");
    LoadedConfig cfg = withMaintenance(new ConfigLoader(env::get).load(shared, region));
    internal =
        List.of(
            "127.0.0.",
            ":" + nginx.port(),
            String.valueOf(nginx.port()),
            "/health",
            "http",
            "tcp",
            "solo",
            "status.test",
            "wwwpool",
            "web-1",
            "web-2",
            "mx-a",
            "webfarm",
            "mailfarm",
            "mw-",
            "reader",
            "token",
            "Refused",
            "refused");
    var registry = Registries.prometheus();
    vertx = RunCommand.newVertx(registry);
    Agent agent = await(Agent.standard(vertx, cfg, registry).start());
    port = agent.apiPort();
    chrome = ChromeLab.start(Files.createDirectories(dir.resolve("chrome")));
  }

  /** The maintenance: config key is not read yet, so the windows go into the record directly. */
  static LoadedConfig withMaintenance(LoadedConfig cfg) {
    QuorateConfig c = cfg.shared();
    Instant now = Instant.now();
    MaintenanceWindow kernel =
        new MaintenanceWindow(
            "mw-kernel",
            "Mail server upgrade",
            "New mail server software.",
            List.of("mx-a"),
            List.of(),
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofHours(1)),
            null,
            MaintenanceWindow.FailoverMode.ACT,
            true);
    MaintenanceWindow racks =
        new MaintenanceWindow(
            "mw-racks",
            "Rack move",
            null,
            List.of(),
            List.of("webfarm"),
            now.plus(Duration.ofDays(2)),
            now.plus(Duration.ofDays(2).plusHours(2)),
            null,
            MaintenanceWindow.FailoverMode.ACT,
            true);
    QuorateConfig with =
        new QuorateConfig(
            c.regions(),
            c.quorum(),
            c.defaults(),
            c.groups(),
            c.targets(),
            c.zones(),
            c.pools(),
            c.alerts(),
            List.of(kernel, racks),
            c.objectives(),
            c.statusPage());
    return new LoadedConfig(with, cfg.region(), cfg.sharedHash());
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

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void statusJsonNeedsNoTokenAndHoldsNoInternalString() throws Exception {
    // today's bar follows the first verdict within BARS_MIN_AGE (15 s) of it
    JsonObject doc =
        Poll.until(
            Duration.ofSeconds(45),
            "web-1 UP with today's bar",
            () -> new JsonObject(unchecked("/status.json")),
            j ->
                "UP".equals(web1(j).getString("state"))
                    && web1(j).getJsonObject("uptime") != null
                    && Double.valueOf(100.0)
                        .equals(
                            web1(j).getJsonObject("uptime").getJsonArray("percent").getValue(89)));
    HttpResponse<String> res = get("/status.json");
    assertEquals(200, res.statusCode());
    assertEquals("application/json", res.headers().firstValue("Content-Type").get());
    for (String s : internal) {
      assertFalse(res.body().contains(s), "/status.json contains '" + s + "': " + res.body());
    }
    assertEquals("Example Hosting status", doc.getString("title"));
    assertEquals(true, doc.getBoolean("public"));
    assertEquals("Web server 2", doc.getJsonArray("preparing").getJsonObject(0).getString("name"));
    // the token-mode document and the rest of the API still need a token
    assertEquals(401, get("/api/v1/status").statusCode());
    assertEquals(401, get("/api/v1/verdicts").statusCode());
    assertEquals(401, get("/api/v1/pools").statusCode());
  }

  private static String unchecked(String path) {
    try {
      return get(path).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject web1(JsonObject doc) {
    return doc.getJsonArray("groups").getJsonObject(0).getJsonArray("members").getJsonObject(0);
  }

  @Test
  @Order(2)
  void publicPageShowsNamesMaintenancePreparingAndBarsWithoutAToken() throws Exception {
    chrome.open("http://127.0.0.1:" + port + "/");
    String members =
        "return [...document.querySelectorAll('#groups section.group')].map(g =>"
            + " g.querySelector('h3').textContent + '=' + [...g.querySelectorAll('li.member')]"
            + ".map(li => li.querySelector('.name').textContent + ':'"
            + " + li.querySelector('.badge .label').textContent).join(',')).join(';')";
    Object shown = chrome.until(members, LIMIT, v -> String.valueOf(v).contains("Web server 1:Up"));
    assertEquals("Web hosting=Web server 1:Up;Email=Mail server:Maintenance", shown);
    assertEquals(
        "null|0|null|Example Hosting status|Example Hosting status",
        chrome.eval(
            "return document.getElementById('auth') + '|'"
                + " + document.querySelectorAll('input').length + '|'"
                + " + document.getElementById('s-regions') + '|' + document.title + '|'"
                + " + document.getElementById('title').textContent;"));
    assertEquals(
        "Web server 2:Being prepared:Web hosting|false",
        chrome.eval(
            "const li = document.querySelector('#preparing li');"
                + "return [...li.children].map(e => e.textContent).join(':')"
                + " + '|' + document.getElementById('s-preparing').hidden;"));
    assertEquals(
        "In progress: Mail server upgrade|Affects: Mail server;Scheduled: Rack move|"
            + "Affects: Web server 1, Web server 2",
        chrome.eval(
            "return [...document.querySelectorAll('#notices li')].map(li =>"
                + " li.querySelector('strong').textContent + '|'"
                + " + li.querySelector('p.muted').textContent).join(';');"));
    assertTrue(
        String.valueOf(chrome.eval("return document.querySelector('#groups .since').textContent"))
            .matches("online for \\d+ s"));
    bars();
    String text = String.valueOf(chrome.eval("return document.body.innerText;"));
    for (String s : internal) {
      assertFalse(text.contains(s), "the page shows '" + s + "': " + text);
    }
    chrome.screenshot(Path.of("target", "status-page-public.png"));
    assertTrue(Files.size(Path.of("target", "status-page-public.png")) > 1000);
  }

  @Test
  @Order(3)
  void anOutageReachesTheOpenPublicPageThroughItsEventStreamNotThePoll() throws Exception {
    chrome.until("return document.body.dataset.stream;", LIMIT, "open"::equals);
    assertEquals("Live", chrome.eval("return document.getElementById('live').textContent;"));
    Object loads = chrome.eval("return document.body.dataset.loads;");
    nginx.stop();
    String web1 =
        "return [...document.querySelectorAll('#groups li.member')].map(li =>"
            + " li.querySelector('.name').textContent + ':'"
            + " + li.querySelector('.badge .label').textContent).join(',');";
    Object shown = chrome.until(web1, LIMIT, v -> String.valueOf(v).contains("Web server 1:Down"));
    assertTrue(String.valueOf(shown).contains("Web server 1:Down"), String.valueOf(shown));
    assertEquals(
        loads,
        chrome.eval("return document.body.dataset.loads;"),
        "shown by an event-driven refresh, before the 30 s poll came round");
    assertTrue(
        Integer.parseInt(String.valueOf(chrome.eval("return document.body.dataset.events;"))) >= 1);
    String text = String.valueOf(chrome.eval("return document.body.innerText;"));
    for (String s : internal) {
      assertFalse(text.contains(s), "the page shows '" + s + "': " + text);
    }
    chrome.screenshot(Path.of("target", "status-page-public-down.png"));
  }

  @Test
  @Order(4)
  void theStreamCarriesNoStatusOnlyThatItChanged() throws Exception {
    HttpResponse<java.io.InputStream> res =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status/events"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, res.statusCode());
    assertEquals("text/event-stream", res.headers().firstValue("Content-Type").get());
    nginx.start(); // web-1 and web-2 come back: verdict events
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(res.body()))) {
      StringBuilder seen = new StringBuilder();
      for (String line; (line = in.readLine()) != null; ) {
        seen.append(line).append('\n');
        if (line.equals("data: {}")) {
          break;
        }
      }
      assertTrue(seen.toString().startsWith("retry: 5000\n: quorate status\n"), seen.toString());
      assertTrue(seen.toString().endsWith("event: changed\ndata: {}\n"), seen.toString());
    }
  }

  /** 90 bars per group and member, each with its day and uptime as text, ending today. */
  private static void bars() throws Exception {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    Object group =
        chrome.eval(
            "const bars = [...document.querySelectorAll('#groups section.group')[0]"
                + ".querySelectorAll(':scope > .bars-row .bar')];"
                + "return bars.length + '|' + bars.every(b => b.getAttribute('role') === 'img'"
                + " && /^\\d{4}-\\d\\d-\\d\\d: (no data|[0-9.]+ % up)/.test(b.getAttribute("
                + "'aria-label')) && b.title === b.getAttribute('aria-label'))"
                + " + '|' + bars[89].getAttribute('aria-label')"
                + " + '|' + bars[0].getAttribute('aria-label');");
    String[] g = String.valueOf(group).split("\\|");
    assertEquals("90", g[0], String.valueOf(group));
    assertEquals("true", g[1], String.valueOf(group));
    assertTrue(g[2].matches(today + ": 100(\\.0)? % up"), g[2]);
    assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(89) + ": no data", g[3]);
    assertEquals(
        "360",
        String.valueOf(chrome.eval("return document.querySelectorAll('#groups .bar').length;")));
  }
}
