package io.quorate.demo;

import io.quorate.Agent;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.store.AuditLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code quorate demo --scripted}: breaks the sample fleet in a fixed order and checks, in every
 * region's DNS answer (over the wire), that the quorum did exactly what it should, printing each
 * step's timeline. Runs on the CLI's main thread and blocks it (never an event loop); every wait is
 * bounded, and a step that does not happen in time fails the story.
 */
public final class DemoStory {
  /** How often conditions are re-checked. */
  static final long POLL_MS = 100;

  private final Demo demo;
  private final PrintStream out;
  private final List<String> failures = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private long stepStart;

  public DemoStory(Demo demo, PrintStream out) {
    this.demo = demo;
    this.out = out;
  }

  /** Runs every step; returns the failed steps (empty: the story happened as expected). */
  public List<String> run() {
    List<String> web = DemoOptions.WEB_ADDRESSES;
    step("Start: the three regions settle and every sample server is UP");
    awaitTrue("every verdict UP", 60_000, () -> allUp());
    awaitDns("www.demo.test A = all three web servers", 20_000, "www.demo.test", "A", web);

    step("A web server dies: web-2 is stopped");
    act(() -> demo.member("web-2", false));
    awaitTrue(
        "web-2 verdict DOWN (a quorum of regions agrees)", 20_000, () -> is("web-2", Status.DOWN));
    awaitDns(
        "web-2 removed from www.demo.test in every region",
        20_000,
        "www.demo.test",
        "A",
        List.of(web.get(0), web.get(2)));
    awaitTrue(
        "us-east's public /status.json shows Web server 2 DOWN, as an incident",
        10_000,
        () -> publicStatusShowsDown(1, "Web server 2"));

    step("It comes back: web-2 is started");
    act(() -> demo.member("web-2", true));
    awaitTrue("web-2 verdict UP", 20_000, () -> is("web-2", Status.UP));
    long upAt = System.nanoTime();
    awaitDns("web-2 re-added after the hold-down", 40_000, "www.demo.test", "A", web);
    long heldMs = (System.nanoTime() - upAt) / 1_000_000;
    expect(heldMs >= 5_000, "re-added " + heldMs + " ms after UP: the hold-down was respected");

    step("One region is cut off the mesh: ap-southeast is isolated");
    act(() -> demo.region("ap-southeast", true));
    awaitTrue(
        "ap-southeast loses quorum; eu-west and us-east keep it", 20_000, this::splitAsExpected);
    holdFor(
        "nothing changes while one region is alone", 4_000, () -> dnsIs("www.demo.test", "A", web));
    act(() -> demo.region("ap-southeast", false));
    awaitTrue(
        "healed: every region quorate again", 20_000, () -> quorate(0) && quorate(1) && quorate(2));

    step("The primary mail server dies: mail-1 is stopped");
    act(() -> demo.member("mail-1", false));
    awaitDns(
        "mail.demo.test MX moves to the backup",
        20_000,
        "mail.demo.test",
        "MX",
        List.of("20 mail2.demo.test"));
    act(() -> demo.member("mail-1", true));
    awaitDns(
        "mail-1 back: MX returns to the primary after the hold-down",
        40_000,
        "mail.demo.test",
        "MX",
        List.of("10 mail1.demo.test"));

    step("Every web server dies: the pool fails open");
    act(() -> demo.member("web-1", false));
    act(() -> demo.member("web-2", false));
    act(() -> demo.member("web-3", false));
    awaitTrue(
        "all three verdicts DOWN",
        20_000,
        () -> is("web-1", Status.DOWN) && is("web-2", Status.DOWN) && is("web-3", Status.DOWN));
    awaitDns(
        "fail open: www.demo.test keeps every primary, never an empty answer",
        20_000,
        "www.demo.test",
        "A",
        web);
    awaitTrue("the fail-open decision is in the audit log", 10_000, this::failedOpen);
    for (String id : List.of("web-1", "web-2", "web-3")) {
      act(() -> demo.member(id, true));
    }
    awaitTrue("every verdict UP again", 30_000, this::allUp);

    out.println();
    out.println(
        failures.isEmpty()
            ? "The story happened as expected."
            : "FAILED steps: " + String.join("; ", failures));
    return List.copyOf(failures);
  }

  private void step(String title) {
    stepStart = System.nanoTime();
    out.println();
    out.println("== " + title);
  }

  private void log(String line) {
    double s = (System.nanoTime() - stepStart) / 1e9;
    out.printf(Locale.ROOT, "  [%5.1fs] %s%n", s, line);
  }

  private void act(Supplier<io.vertx.core.Future<?>> action) {
    try {
      action.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      fail("action failed: " + e);
    }
  }

  private void awaitTrue(String what, long timeoutMs, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        log("ok  " + what);
        return;
      }
      pause();
    }
    fail(what + " (not within " + timeoutMs + " ms)");
  }

  /** The condition must hold at every check for {@code ms}. */
  private void holdFor(String what, long ms, Supplier<Boolean> condition) {
    long end = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < end) {
      if (!condition.get()) {
        fail(what);
        return;
      }
      pause();
    }
    log("ok  " + what + " (watched " + ms + " ms)");
  }

  private void awaitDns(String what, long timeoutMs, String name, String type, List<String> want) {
    awaitTrue(what + " " + want, timeoutMs, () -> dnsIs(name, type, want));
  }

  /** Every region's server answers exactly {@code want}. */
  private boolean dnsIs(String name, String type, List<String> want) {
    for (int i = 0; i < DemoOptions.REGIONS.size(); i++) {
      try {
        if (!WireLookup.values(demo.options().dnsPort(i), name, type).equals(want)) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private boolean is(String target, Status state) {
    for (Agent a : demo.agents()) {
      Verdict v = a.quorum().verdict(target);
      if (v == null || v.state() != state) {
        return false;
      }
    }
    return true;
  }

  private boolean allUp() {
    for (Agent a : demo.agents()) {
      for (Verdict v : a.quorum().verdicts()) {
        if (v == null || v.state() != Status.UP) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Region {@code i}'s public status document, fetched over HTTP like a visitor's browser (no
   * token), lists the member named {@code name} as DOWN and has an incident for it.
   */
  private boolean publicStatusShowsDown(int i, String name) {
    JsonObject doc;
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + demo.options().apiPort(i) + "/status.json"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return false;
      }
      doc = new JsonObject(r.body());
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    boolean memberDown = false;
    for (Object g : doc.getJsonArray("groups", new JsonArray())) {
      for (Object m : ((JsonObject) g).getJsonArray("members", new JsonArray())) {
        JsonObject member = (JsonObject) m;
        memberDown |=
            name.equals(member.getString("name")) && "DOWN".equals(member.getString("state"));
      }
    }
    boolean incident =
        doc.getJsonArray("incidents", new JsonArray()).stream()
            .map(JsonObject.class::cast)
            .anyMatch(x -> name.equals(x.getString("name")) && "DOWN".equals(x.getString("state")));
    return memberDown && incident;
  }

  private boolean quorate(int i) {
    return demo.agents().get(i).quorum().gate().quorate();
  }

  private boolean splitAsExpected() {
    return quorate(0) && quorate(1) && !quorate(2);
  }

  private boolean failedOpen() {
    for (AuditLog.Entry e : demo.agents().get(0).audit().recent("www", 50)) {
      if (e.reasons().stream().anyMatch(r -> r.startsWith("fail open"))) {
        return true;
      }
    }
    return false;
  }

  private void expect(boolean ok, String what) {
    if (ok) {
      log("ok  " + what);
    } else {
      fail(what);
    }
  }

  private void fail(String what) {
    log("FAIL " + what);
    failures.add(what);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MS); // the CLI's main thread, polling a condition with a deadline
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
