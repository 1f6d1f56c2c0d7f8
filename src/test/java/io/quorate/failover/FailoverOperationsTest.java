package io.quorate.failover;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator levers and rails against a real BIND, with a single-region cluster (quorum 1 of 1, so
 * each scenario is quick): active/passive with manual fail-back, drain/undrain through the API with
 * scopes, flap freeze, a wrong TSIG key, an unreachable primary.
 */
class FailoverOperationsTest {
  static final String PRIMARY = "127.0.0.21";
  static final String BACKUP = "127.0.0.22";

  @TempDir Path dir;
  final List<AutoCloseable> closers = new ArrayList<>();
  ApiPoll api;
  WebClient web;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T c) {
    closers.add(c);
    return c;
  }

  private LocalCluster cluster(int dnsPort, String secretVar, List<NginxMember> m, String pool)
      throws Exception {
    return cluster(dnsPort, List.of(dnsPort), secretVar, m, pool);
  }

  private LocalCluster cluster(
      int dnsPort, List<Integer> servers, String secretVar, List<NginxMember> m, String pool)
      throws Exception {
    StringBuilder list = new StringBuilder();
    for (int p : servers) {
      list.append(list.length() == 0 ? "" : ", ").append("'127.0.0.1:").append(p).append("'");
    }
    String body =
        "quorum: {heartbeatMs: 200, graceMs: 1000}\n"
            + "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}\n"
            + "targets:\n"
            + "  - {id: a, type: http, address: 127.0.0.1, port: "
            + m.get(0).port()
            + ", http: {path: /health}}\n"
            + "  - {id: b, type: http, address: 127.0.0.1, port: "
            + m.get(1).port()
            + ", http: {path: /health}}\n"
            + "zones:\n"
            + "  - {zone: example.test, primary: '127.0.0.1:"
            + dnsPort
            + "', servers: ["
            + list
            + "], propagationTimeoutMs: 3000, updateTimeoutMs: 1000,"
            + " tsig: {name: lab-update, secret: '${env:"
            + secretVar
            + "}'}}\n"
            + "pools:\n"
            + pool;
    LocalCluster c =
        keep(
            LocalCluster.start(
                dir,
                List.of("solo"),
                body,
                Map.of(
                    "TSIG",
                    Bind9Lab.TSIG_SECRET,
                    "WRONG",
                    "c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1sYWIta2V5LTEyMzQ="),
                null));
    Vertx client = Vertx.vertx();
    closers.add(client::close);
    api = new ApiPoll(client, LocalCluster.TOKEN);
    web = WebClient.create(client);
    return c;
  }

  private List<NginxMember> members() {
    return List.of(
        keep(NginxMember.start(dir.resolve("n1"))), keep(NginxMember.start(dir.resolve("n2"))));
  }

  private static final String ACTIVE_PASSIVE =
      "  - id: svc\n    zone: example.test\n    name: svc.example.test\n    type: A\n"
          + "    holdDownMs: 0\n    failback: manual\n    members:\n"
          + "      - {id: main, value: "
          + PRIMARY
          + ", target: a, role: primary}\n"
          + "      - {id: standby, value: "
          + BACKUP
          + ", target: b, role: backup}\n";

  private HttpResponse<Buffer> post(int port, String path, String token) throws Exception {
    return await(
        web.post(port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + token).send());
  }

  @Test
  void activePassiveSwitchesAndManualFailbackWaitsForRelease() throws Exception {
    Bind9Lab bind = keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, "")));
    List<NginxMember> m = members();
    LocalCluster c = cluster(bind.port(), "TSIG", m, ACTIVE_PASSIVE);
    int port = c.port("solo");
    await(
        api.until(
            port,
            "/api/v1/pools/svc",
            Duration.ofSeconds(30),
            j -> FailoverTest.actual(j).equals(Set.of(PRIMARY))));
    m.get(0).stop();
    await(
        api.until(
            port,
            "/api/v1/pools/svc",
            Duration.ofSeconds(15),
            j -> FailoverTest.actual(j).equals(Set.of(BACKUP))));
    m.get(0).start();
    await(
        api.until(
            port,
            "/api/v1/verdicts/a",
            Duration.ofSeconds(10),
            j -> "UP".equals(j.getString("state"))));
    // manual fail-back: the primary is healthy again, but traffic stays on the backup
    await(
        api.during(
            port,
            "/api/v1/pools/svc",
            Duration.ofSeconds(3),
            j -> FailoverTest.actual(j).equals(Set.of(BACKUP)) && j.getBoolean("pinned")));
    assertEquals(
        403,
        post(port, "/api/v1/pools/svc/release", LocalCluster.TOKEN).statusCode(),
        "a read token may not release");
    HttpResponse<Buffer> released =
        post(port, "/api/v1/pools/svc/release", LocalCluster.OPERATE_TOKEN);
    assertEquals(200, released.statusCode(), released.bodyAsString());
    await(
        api.until(
            port,
            "/api/v1/pools/svc",
            Duration.ofSeconds(10),
            j -> FailoverTest.actual(j).equals(Set.of(PRIMARY))));
    JsonObject audit = await(api.get(port, "/api/v1/audit?pool=svc"));
    assertTrue(audit.encode().contains("\"action\":\"release\""), audit.encode());
    assertTrue(audit.encode().contains("\"actor\":\"token:operator\""), audit.encode());
  }

  @Test
  void backupMxTakesOverWhenThePrimaryMailServerIsDown() throws Exception {
    Bind9Lab bind =
        keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, "mx2     IN A    127.0.0.2")));
    List<NginxMember> m = members();
    String pool =
        "  - id: mx\n    zone: example.test\n    name: example.test\n    type: MX\n"
            + "    holdDownMs: 0\n    members:\n"
            + "      - {id: main, value: '10 mail.example.test', target: a, role: primary}\n"
            + "      - {id: backup, value: '20 mx2.example.test', target: b, role: backup}\n";
    LocalCluster c = cluster(bind.port(), "TSIG", m, pool);
    int port = c.port("solo");
    await(
        api.until(
            port,
            "/api/v1/pools/mx",
            Duration.ofSeconds(30),
            j -> FailoverTest.actual(j).equals(Set.of("10 mail.example.test"))));
    m.get(0).stop();
    await(
        api.until(
            port,
            "/api/v1/pools/mx",
            Duration.ofSeconds(15),
            j -> FailoverTest.actual(j).equals(Set.of("20 mx2.example.test"))));
    m.get(0).start();
    await(
        api.until(
            port,
            "/api/v1/pools/mx",
            Duration.ofSeconds(15),
            j -> FailoverTest.actual(j).equals(Set.of("10 mail.example.test"))));
  }

  @Test
  void aServerThatNeverGetsTheChangeIsAPropagationTimeout() throws Exception {
    Bind9Lab bind = keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, "")));
    // a second "authoritative" server that is nobody's secondary: it never serves the change
    Bind9Lab stale = keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, "")));
    List<NginxMember> m = members();
    String pool =
        "  - id: www\n    zone: example.test\n    name: rr.example.test\n    type: A\n"
            + "    holdDownMs: 0\n    members:\n"
            + "      - {id: m1, value: 127.0.0.11, target: a}\n"
            + "      - {id: m2, value: 127.0.0.12, target: b}\n";
    LocalCluster c = cluster(bind.port(), List.of(bind.port(), stale.port()), "TSIG", m, pool);
    int port = c.port("solo");
    JsonObject view =
        await(
            api.until(
                port,
                "/api/v1/pools/www",
                Duration.ofSeconds(30),
                j -> Boolean.FALSE.equals(j.getBoolean("propagated"))));
    assertEquals("ok", view.getJsonObject("propagation").getString("127.0.0.1:" + bind.port()));
    assertTrue(
        view.getJsonObject("propagation")
            .getString("127.0.0.1:" + stale.port())
            .startsWith("served"),
        view.encode());
    JsonObject audit = await(api.get(port, "/api/v1/audit?pool=www"));
    assertTrue(
        audit.encode().contains("\"action\":\"propagation\",\"outcome\":\"timeout\""),
        audit.encode());
  }

  @Test
  void drainAndUndrainThroughTheApi() throws Exception {
    Bind9Lab bind = keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, "")));
    List<NginxMember> m = members();
    String pool =
        "  - id: www\n    zone: example.test\n    name: rr.example.test\n    type: A\n"
            + "    holdDownMs: 0\n    members:\n"
            + "      - {id: m1, value: 127.0.0.11, target: a}\n"
            + "      - {id: m2, value: 127.0.0.12, target: b}\n";
    LocalCluster c = cluster(bind.port(), "TSIG", m, pool);
    int port = c.port("solo");
    await(
        api.until(
            port,
            "/api/v1/pools/www",
            Duration.ofSeconds(30),
            j -> FailoverTest.actual(j).equals(Set.of("127.0.0.11", "127.0.0.12"))));
    assertEquals(
        404,
        post(port, "/api/v1/pools/www/members/nope/drain", LocalCluster.OPERATE_TOKEN)
            .statusCode());
    assertEquals(
        200,
        post(port, "/api/v1/pools/www/members/m2/drain", LocalCluster.OPERATE_TOKEN).statusCode());
    JsonObject drained =
        await(
            api.until(
                port,
                "/api/v1/pools/www",
                Duration.ofSeconds(10),
                j -> FailoverTest.actual(j).equals(Set.of("127.0.0.11"))));
    assertTrue(drained.getJsonArray("members").getJsonObject(1).getBoolean("drained"));
    assertEquals(
        200,
        post(port, "/api/v1/pools/www/members/m2/undrain", LocalCluster.OPERATE_TOKEN)
            .statusCode());
    await(
        api.until(
            port,
            "/api/v1/pools/www",
            Duration.ofSeconds(10),
            j -> FailoverTest.actual(j).equals(Set.of("127.0.0.11", "127.0.0.12"))));
  }

  @Test
  void aWrongTsigKeyIsAClearErrorAndChangesNothing() throws Exception {
    Bind9Lab bind = keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, "")));
    List<NginxMember> m = members();
    LocalCluster c = cluster(bind.port(), "WRONG", m, ACTIVE_PASSIVE);
    int port = c.port("solo");
    JsonObject pool =
        await(
            api.until(
                port,
                "/api/v1/pools/svc",
                Duration.ofSeconds(30),
                j -> j.getString("lastError") != null));
    assertTrue(pool.getString("lastError").startsWith("NOT_AUTHORIZED"), pool.encode());
    JsonObject audit = await(api.get(port, "/api/v1/audit?pool=svc"));
    assertTrue(audit.encode().contains("failover cannot be applied"), audit.encode());
    // svc does not exist in the zone; nothing was created
    JsonObject view = await(api.get(port, "/api/v1/pools/svc"));
    assertEquals(null, view.getJsonObject("actual"), view.encode());
  }

  @Test
  void aFlappingMemberFreezesThePoolOnce() throws Exception {
    Bind9Lab bind = keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, "")));
    List<NginxMember> m = members();
    String pool =
        "  - id: www\n    zone: example.test\n    name: rr.example.test\n    type: A\n"
            + "    holdDownMs: 0\n    flapChanges: 3\n    flapWindowMs: 600000\n    members:\n"
            + "      - {id: m1, value: 127.0.0.11, target: a}\n"
            + "      - {id: m2, value: 127.0.0.12, target: b}\n";
    LocalCluster c = cluster(bind.port(), "TSIG", m, pool);
    int port = c.port("solo");
    await(
        api.until(
            port,
            "/api/v1/pools/www",
            Duration.ofSeconds(30),
            j -> FailoverTest.actual(j).equals(Set.of("127.0.0.11", "127.0.0.12"))));
    for (int i = 0; i < 6; i++) {
      JsonObject now = await(api.get(port, "/api/v1/pools/www"));
      if (now.getBoolean("frozen")) {
        break;
      }
      boolean in = FailoverTest.actual(now).contains("127.0.0.12");
      if (in) {
        m.get(1).stop();
      } else {
        m.get(1).start();
      }
      await(
          api.until(
              port,
              "/api/v1/pools/www",
              Duration.ofSeconds(15),
              j -> j.getBoolean("frozen") || FailoverTest.actual(j).contains("127.0.0.12") != in));
    }
    JsonObject frozen =
        await(
            api.until(
                port, "/api/v1/pools/www", Duration.ofSeconds(10), j -> j.getBoolean("frozen")));
    Set<String> held = FailoverTest.actual(frozen);
    // no change while frozen, whatever the member does
    if (held.contains("127.0.0.12")) {
      m.get(1).stop();
    } else {
      m.get(1).start();
    }
    await(
        api.during(
            port,
            "/api/v1/pools/www",
            Duration.ofSeconds(4),
            j -> FailoverTest.actual(j).equals(held) && "frozen".equals(j.getString("blockedBy"))));
    JsonObject audit = await(api.get(port, "/api/v1/audit?pool=www&limit=1000"));
    long freezes =
        audit.getJsonArray("entries").stream()
            .filter(e -> "freeze".equals(((JsonObject) e).getString("action")))
            .count();
    assertEquals(1, freezes, audit.encode());
  }
}
