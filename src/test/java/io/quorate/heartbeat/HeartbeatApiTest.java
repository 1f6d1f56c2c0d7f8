package io.quorate.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.Poll;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/heartbeats/{id}} over HTTP on one real agent: its own token only (not the API
 * tokens), RFC 9457 problems for every refusal, {@code status=fail} and a bounded {@code msg}; the
 * last pings survive a restart of the agent.
 */
@Timeout(90)
class HeartbeatApiTest {
  static final String TOKEN = "backup-heartbeat-0123456789";
  static final String OTHER = "other-heartbeat-0123456789";
  static final String NIGHTLY = "nightly-heartbeat-0123456789";
  static final String FAILING = "failing-heartbeat-0123456789";
  static final String REGION = "eu-west";

  @TempDir static Path dir;
  static LocalCluster cluster;
  static HeartbeatHttp http;

  @BeforeAll
  static void start() throws Exception {
    String shared =
        String.join(
            "\n",
            "quorum: {heartbeatMs: 200, graceMs: 1000}",
            "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}",
            "targets:",
            "  - id: backup",
            "    type: heartbeat",
            "    heartbeat: {periodMs: 60000, graceMs: 1000, token: '${env:HB}'}",
            "  - id: other",
            "    type: heartbeat",
            "    heartbeat: {periodMs: 60000, token: '${env:HB2}'}",
            "  - id: nightly",
            "    type: heartbeat",
            "    heartbeat: {periodMs: 86400000, graceMs: 3600000, token: '${env:HB3}'}",
            "  - id: failing",
            "    type: heartbeat",
            "    heartbeat: {periodMs: 86400000, token: '${env:HB4}'}",
            "");
    cluster =
        LocalCluster.start(
            dir,
            List.of(REGION),
            shared,
            Map.of("HB", TOKEN, "HB2", OTHER, "HB3", NIGHTLY, "HB4", FAILING),
            null);
    http = new HeartbeatHttp(cluster);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static void assertProblem(HeartbeatHttp.Reply r, int status, String type) {
    assertEquals(status, r.status(), r.body());
    assertEquals("application/problem+json", r.type());
    assertEquals("https://quorate.io/problems/" + type, r.json().getString("type"));
    assertEquals(status, r.json().getInteger("status"));
  }

  @Test
  void refusalsAreProblems() throws Exception {
    String path = "/api/v1/heartbeats/backup";
    assertProblem(http.post(REGION, path, null), 401, "unauthorized");
    assertProblem(http.post(REGION, path, LocalCluster.TOKEN), 403, "forbidden");
    assertProblem(http.post(REGION, path, LocalCluster.OPERATE_TOKEN), 403, "forbidden");
    assertProblem(http.post(REGION, path, OTHER), 403, "forbidden");
    assertProblem(http.post(REGION, "/api/v1/heartbeats/nope", TOKEN), 404, "not-found");
    assertProblem(http.post(REGION, path + "?status=maybe", TOKEN), 400, "bad-request");
    String tooLong = "m".repeat(201);
    assertProblem(
        http.post(REGION, path + "?status=fail&msg=" + tooLong, TOKEN), 400, "bad-request");
    assertProblem(http.post(REGION, path + "?msg=a%0Ab", TOKEN), 400, "bad-request");
    // none of these counted as a ping
    assertTrue(
        latest("backup").getString("detail").startsWith("waiting for the first ping, due within"),
        latest("backup").encode());
  }

  @Test
  void okThenFailWithMessage() throws Exception {
    HeartbeatHttp.Reply ok = http.post(REGION, "/api/v1/heartbeats/other", OTHER);
    assertEquals(200, ok.status(), ok.body());
    assertEquals(true, ok.json().getBoolean("ok"));
    assertEquals("other", ok.json().getString("target"));
    Poll.until(Duration.ofSeconds(10), "UP", () -> verdict("other"), "UP"::equals);

    String msg = "m".repeat(199) + "x";
    HeartbeatHttp.Reply fail =
        http.post(REGION, "/api/v1/heartbeats/other?status=fail&msg=" + msg, OTHER);
    assertEquals(200, fail.status(), fail.body());
    assertEquals(false, fail.json().getBoolean("ok"));
    assertEquals(msg, fail.json().getString("msg"));
    Poll.until(Duration.ofSeconds(10), "DOWN", () -> verdict("other"), "DOWN"::equals);
    JsonObject latest = latest("other");
    assertEquals("reported", latest.getString("errorKind"));
    assertEquals(msg, latest.getString("detail"));
  }

  private static String verdict(String id) {
    try {
      return http.get(REGION, "/api/v1/verdicts/" + id).getString("state");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject latest(String id) throws Exception {
    return Poll.until(
        Duration.ofSeconds(5),
        "a first observation of " + id,
        () -> {
          try {
            return http.get(REGION, "/api/v1/targets/" + id).getJsonObject("latest");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        l -> l != null);
  }

  /**
   * A restarted agent judges each heartbeat target from the last ping it stored: a daily job that
   * pinged before the restart (or a rolling upgrade) stays UP, and one that reported a failure
   * stays DOWN with its message, instead of both turning into "no ping received yet".
   */
  @Test
  void theLastPingOfEachTargetSurvivesARestart() throws Exception {
    HeartbeatHttp.Reply ok = http.post(REGION, "/api/v1/heartbeats/nightly", NIGHTLY);
    assertEquals(200, ok.status(), ok.body());
    String pingedAt = ok.json().getString("at");
    HeartbeatHttp.Reply fail =
        http.post(REGION, "/api/v1/heartbeats/failing?status=fail&msg=disk%20full", FAILING);
    assertEquals(200, fail.status(), fail.body());
    awaitLatest("nightly", "UP", "before the restart");
    awaitLatest("failing", "DOWN", "before the restart");

    cluster.stopGracefully(REGION, Duration.ofSeconds(10));
    cluster.restart(REGION);

    JsonObject nightly = awaitLatest("nightly", "UP", "after the restart");
    assertEquals(
        pingedAt, nightly.getJsonObject("facts").getString("lastPingAt"), nightly.encode());
    JsonObject failing = awaitLatest("failing", "DOWN", "after the restart");
    assertEquals("reported", failing.getString("errorKind"), failing.encode());
    assertEquals("disk full", failing.getString("detail"), failing.encode());
  }

  /** The newest observation of {@code id} once it has {@code outcome} (a fresh one after start). */
  private static JsonObject awaitLatest(String id, String outcome, String when) {
    return Poll.until(
        Duration.ofSeconds(15),
        id + " " + outcome + " " + when,
        () -> {
          try {
            return http.get(REGION, "/api/v1/targets/" + id).getJsonObject("latest");
          } catch (Exception e) {
            return null; // the agent is still starting
          }
        },
        l -> l != null && outcome.equals(l.getString("outcome")));
  }
}
