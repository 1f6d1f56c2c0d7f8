package io.quorate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.ZoneWatcher;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Maintenance windows against a real DNS pool: three real agents (signed mesh), six real nginx
 * members in two pools and BIND 9 as the RFC 2136 primary (TSIG). The RRset is read over the wire.
 * A {@code failover: freeze} window keeps a dead member in DNS until the window is deleted; a
 * {@code failover: act} window lets failover remove it while the verdict shows MAINTENANCE and no
 * alert goes out. Each case has its own pool and window, so their order does not matter.
 */
@Timeout(180)
class MaintenanceFreezeTest {
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");
  static final long INTERVAL_MS = 1000;
  static final String FRZ = "frz.example.test";
  static final String ACT = "act.example.test";
  static final Set<String> FRZ_ALL = Set.of("127.0.0.21", "127.0.0.22", "127.0.0.23");
  static final Set<String> ACT_ALL = Set.of("127.0.0.31", "127.0.0.32", "127.0.0.33");

  @TempDir static Path dir;
  static final List<AutoCloseable> closers = new ArrayList<>();
  static final List<JsonObject> delivered = new CopyOnWriteArrayList<>();
  static final List<NginxMember> web = new ArrayList<>();
  static Bind9Lab bind;
  static LocalCluster cluster;
  static ClusterApi api;

  @BeforeAll
  static void startLab() throws Exception {
    String zone =
        Bind9Lab.exampleZone(
            1,
            String.join(
                "\n",
                "frz     IN A    127.0.0.21",
                "frz     IN A    127.0.0.22",
                "frz     IN A    127.0.0.23",
                "act     IN A    127.0.0.31",
                "act     IN A    127.0.0.32",
                "act     IN A    127.0.0.33"));
    bind = keep(Bind9Lab.start("example.test", zone));
    for (int i = 1; i <= 6; i++) {
      web.add(keep(NginxMember.start(dir.resolve("nginx-" + i))));
    }
    Vertx hooks = Vertx.vertx();
    closers.add(() -> ApiPoll.await(hooks.close()));
    int hook = ClusterApi.startConsumer(hooks, delivered);
    cluster =
        keep(
            LocalCluster.start(
                dir,
                REGIONS,
                shared(bind.port(), hook),
                Map.of(
                    "TSIG", Bind9Lab.TSIG_SECRET, "HOOK", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                null));
    api = new ClusterApi(cluster, bind.port());
    for (String pool : List.of("frz", "act")) {
      Poll.until(
          Duration.ofSeconds(30),
          pool + " settled with every member",
          () -> api.get("eu-west", "/api/v1/pools/" + pool),
          p -> "NOOP".equals(p.getString("decision")));
    }
  }

  @AfterAll
  static void stopLab() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  private static <T extends AutoCloseable> T keep(T c) {
    closers.add(c);
    return c;
  }

  @Test
  void freezeKeepsTheDeadMemberUntilTheWindowIsDeleted() throws Exception {
    ZoneWatcher watcher = keep(new ZoneWatcher(bind.port(), FRZ, Type.A, Duration.ofMinutes(2)));
    Instant created = Instant.now();
    api.createWindow("freeze-web-2", "web-2", "freeze");
    api.awaitShown("web-2", "MAINTENANCE/UP");

    web.get(1).stop();
    api.awaitShown("web-2", "MAINTENANCE/DOWN");
    JsonObject blocked =
        Poll.until(
                Duration.ofSeconds(15),
                "a maintenance-freeze audit entry",
                () -> api.audit("eu-west", "frz", "maintenance-freeze", "blocked"),
                l -> !l.isEmpty())
            .get(0);
    assertEquals("[127.0.0.21, 127.0.0.23]", blocked.getJsonObject("details").getString("desired"));
    // the freeze must outlast the executor's reconcile tick and every writer rank's standby
    Duration observe = Duration.ofMillis(4 * INTERVAL_MS);
    Poll.during(observe, "the RRset stays whole", () -> api.served(FRZ), FRZ_ALL::equals);
    for (String r : REGIONS) {
      assertEquals(List.of(), api.audit(r, "frz", "update", "applied"), r + ": no write");
      assertEquals("MAINTENANCE", api.get(r, "/api/v1/verdicts/web-2").getString("state"));
    }
    assertEquals(List.of(), alertsAbout("web-2", created), "no alert inside the window");

    assertEquals(204, api.send("us-east", "DELETE", "/api/v1/maintenance/freeze-web-2", null));
    Set<String> without = Set.of("127.0.0.21", "127.0.0.23");
    Poll.until(Duration.ofSeconds(15), "web-2 leaves DNS", () -> api.served(FRZ), without::equals);
    api.awaitShown("web-2", "DOWN/-");
    List<JsonObject> writes = new ArrayList<>();
    for (String r : REGIONS) {
      writes.addAll(api.audit(r, "frz", "update", "applied"));
    }
    assertEquals(1, writes.size(), "exactly one region wrote the removal: " + writes);
    assertEquals(
        "[127.0.0.21, 127.0.0.23]", writes.get(0).getJsonObject("details").getString("desired"));
    Instant wrote = Instant.parse(writes.get(0).getString("at"));
    assertTrue(wrote.isAfter(Instant.parse(blocked.getString("at"))), "written after the freeze");
    Poll.until(
        Duration.ofSeconds(15),
        "the end alert",
        () -> alertsAbout("web-2", created),
        l -> !l.isEmpty());
    assertEquals("verdict.down", alertsAbout("web-2", created).get(0).getString("type"));
    watcher.close();
    assertEquals(List.of(FRZ_ALL, without), watcher.history(), "only the one change, after it");
    assertEquals(List.of(), watcher.problems());
  }

  @Test
  void actRemovesTheDeadMemberInsideTheWindowWithoutAnAlert() throws Exception {
    Instant created = Instant.now();
    api.createWindow("act-web-5", "web-5", "act");
    api.awaitShown("web-5", "MAINTENANCE/UP");

    web.get(4).stop();
    Set<String> without = Set.of("127.0.0.31", "127.0.0.33");
    Poll.until(Duration.ofSeconds(15), "web-5 leaves DNS", () -> api.served(ACT), without::equals);
    for (String r : REGIONS) {
      JsonObject v = api.get(r, "/api/v1/verdicts/web-5");
      assertEquals("MAINTENANCE", v.getString("state"), r);
      assertEquals("act-web-5", v.getJsonObject("maintenance").getString("id"), r);
      assertEquals(List.of(), api.audit(r, "act", "maintenance-freeze", "blocked"), r);
    }
    api.awaitShown("web-5", "MAINTENANCE/DOWN");
    int applied = 0;
    for (String r : REGIONS) {
      applied += api.audit(r, "act", "update", "applied").size();
    }
    assertEquals(1, applied, "one region removed web-5");
    Poll.during(
        Duration.ofMillis(3 * INTERVAL_MS),
        "no alert about web-5 inside the window",
        () -> alertsAbout("web-5", created),
        List::isEmpty);

    // the channel works: ending the window on a dead member alerts once
    assertEquals(204, api.send("eu-west", "DELETE", "/api/v1/maintenance/act-web-5", null));
    Poll.until(
        Duration.ofSeconds(15),
        "the end alert",
        () -> alertsAbout("web-5", created),
        l -> !l.isEmpty());
    assertEquals("verdict.down", alertsAbout("web-5", created).get(0).getString("type"));
    assertEquals(without, api.served(ACT));
  }

  /** Alerts delivered about {@code target} for events since {@code since}, in arrival order. */
  private static List<JsonObject> alertsAbout(String target, Instant since) {
    return delivered.stream()
        .filter(d -> target.equals(d.getString("subject")))
        .filter(d -> !Instant.parse(d.getString("occurredAt")).isBefore(since))
        .toList();
  }

  static String shared(int dnsPort, int hook) {
    StringBuilder y =
        new StringBuilder()
            .append("quorum: {heartbeatMs: 200, graceMs: 1000, standbyMs: 1500}\n")
            .append("defaults: {intervalMs: ")
            .append(INTERVAL_MS)
            .append(", timeoutMs: 800, fall: 2, rise: 2}\n")
            .append("targets:\n");
    for (int i = 0; i < web.size(); i++) {
      y.append("  - {id: web-")
          .append(i + 1)
          .append(", type: http, address: 127.0.0.1, port: ")
          .append(web.get(i).port())
          .append(", http: {path: /health}}\n");
    }
    y.append("zones:\n  - zone: example.test\n    primary: 127.0.0.1:")
        .append(dnsPort)
        .append("\n    servers: ['127.0.0.1:")
        .append(dnsPort)
        .append("']\n    tsig: {name: lab-update, secret: '${env:TSIG}'}\n")
        .append("    propagationTimeoutMs: 5000\npools:\n")
        .append(pool("frz", FRZ, 1, 21))
        .append(pool("act", ACT, 4, 31))
        .append("alerts:\n  channels:\n")
        .append("    - {id: hook, type: webhook, url: 'http://127.0.0.1:")
        .append(hook)
        .append("/hook',\n       secrets: ['${env:HOOK}'], allowHosts: [127.0.0.1]}\n")
        .append("  rules:\n    - {kinds: ['verdict.*'], channels: [hook]}\n");
    return y.toString();
  }

  private static String pool(String id, String name, int firstTarget, int firstOctet) {
    StringBuilder y =
        new StringBuilder("  - id: ")
            .append(id)
            .append("\n    zone: example.test\n    name: ")
            .append(name)
            .append("\n    type: A\n    ttl: 60\n    holdDownMs: 2500\n    members:\n");
    for (int i = 0; i < 3; i++) {
      y.append("      - {id: m")
          .append(i + 1)
          .append(", value: 127.0.0.")
          .append(firstOctet + i)
          .append(", target: web-")
          .append(firstTarget + i)
          .append("}\n");
    }
    return y.toString();
  }
}
