package io.quorate.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Headless Chromium driven by a real {@code chromedriver} over the W3C WebDriver HTTP protocol with
 * {@code java.net.http} (no Selenium): chromedriver on a free loopback port, one session with a
 * fresh profile directory. Closing deletes the session (Chromium exits) and stops chromedriver by
 * its PID.
 */
public final class ChromeLab implements AutoCloseable {
  static final Duration CALL_LIMIT = Duration.ofSeconds(30);

  private final LabProcess driver;
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private String session;

  private ChromeLab(LabProcess driver, int port) {
    this.driver = driver;
    this.base = "http://127.0.0.1:" + port;
  }

  /** Starts chromedriver in {@code dir} and opens a headless Chromium session. */
  public static ChromeLab start(Path dir) throws IOException, InterruptedException {
    LabProcess.requireTool("chromium");
    int port = Ports.free();
    LabProcess p =
        LabProcess.start(
            "chromedriver",
            List.of("chromedriver", "--port=" + port, "--allowed-ips=127.0.0.1"),
            dir,
            dir.resolve("chromedriver.log"));
    ChromeLab c = new ChromeLab(p, port);
    try {
      Ports.awaitTcp("127.0.0.1", port, Duration.ofSeconds(15), p.handle());
      c.session = c.newSession(Files.createDirectories(dir.resolve("profile")));
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** chromedriver's PID (Chromium runs as its child). */
  public long driverPid() {
    return driver.pid();
  }

  private String newSession(Path profile) throws IOException, InterruptedException {
    JsonArray args =
        new JsonArray(
            List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1200,900",
                "--user-data-dir=" + profile));
    JsonObject caps =
        new JsonObject()
            .put("browserName", "chrome")
            .put(
                "goog:chromeOptions",
                new JsonObject().put("binary", "/usr/bin/chromium").put("args", args));
    JsonObject body =
        new JsonObject().put("capabilities", new JsonObject().put("alwaysMatch", caps));
    return call("POST", "/session", body).getJsonObject("value").getString("sessionId");
  }

  /** Navigates the tab to {@code url} (returns once the document has loaded). */
  public void open(String url) throws IOException, InterruptedException {
    call("POST", "/session/" + session + "/url", new JsonObject().put("url", url));
  }

  /** Runs {@code script} (a function body) in the page and returns its result. */
  public Object eval(String script) throws IOException, InterruptedException {
    JsonObject body = new JsonObject().put("script", script).put("args", new JsonArray());
    return call("POST", "/session/" + session + "/execute/sync", body).getValue("value");
  }

  /**
   * Evaluates {@code script} every 100 ms until {@code done} accepts its result, at most {@code
   * limit}; fails with the last value seen.
   */
  public Object until(String script, Duration limit, Predicate<Object> done)
      throws IOException, InterruptedException {
    Instant end = Instant.now().plus(limit);
    Object last = null;
    while (Instant.now().isBefore(end)) {
      last = eval(script);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100); // polling the browser from the test thread, bounded by limit
    }
    throw new AssertionError("after " + limit + " the page still shows: " + last);
  }

  /** Saves a PNG of the viewport to {@code file}. */
  public void screenshot(Path file) throws IOException, InterruptedException {
    String b64 = call("GET", "/session/" + session + "/screenshot", null).getString("value");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(b64));
  }

  private JsonObject call(String method, String path, JsonObject body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(CALL_LIMIT)
            .header("Content-Type", "application/json; charset=utf-8");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonObject j = new JsonObject(res.body());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(
          "webdriver " + method + " " + path + " -> " + res.statusCode() + ": " + j.encode());
    }
    return j;
  }

  @Override
  public void close() {
    try {
      if (session != null) {
        call("DELETE", "/session/" + Objects.requireNonNull(session), null);
      }
    } catch (IOException | RuntimeException e) {
      // chromedriver is stopped below either way, and Chromium with it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      driver.close();
    }
  }
}
