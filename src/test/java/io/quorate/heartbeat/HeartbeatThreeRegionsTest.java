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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three meshed agents in one JVM: a ping reaching ONE region turns the heartbeat target UP in every
 * region's own probe and in every region's quorum verdict; without pings for period + grace the
 * quorum says DOWN (missed) everywhere, and a {@code status=fail} ping sent to another region makes
 * it DOWN everywhere with the pinger's message.
 */
@Timeout(120)
class HeartbeatThreeRegionsTest {
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");
  static final String TOKEN = "backup-heartbeat-0123456789";
  static final long PERIOD_MS = 2_000;
  static final long GRACE_MS = 1_000;

  @TempDir Path dir;
  LocalCluster cluster;
  HeartbeatHttp http;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aPingToOneRegionIsJudgedByAll() throws Exception {
    String shared =
        String.join(
            "\n",
            "quorum: {heartbeatMs: 200, graceMs: 1000}",
            "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}",
            "targets:",
            "  - id: backup",
            "    type: heartbeat",
            "    heartbeat: {periodMs: " + PERIOD_MS + ", graceMs: " + GRACE_MS + ",",
            "                token: '${env:HB}'}",
            "");
    cluster = LocalCluster.start(dir, REGIONS, shared, Map.of("HB", TOKEN), null);
    http = new HeartbeatHttp(cluster);
    // a new target waits period + grace for its first ping (HeartbeatProbeTest), then is missed
    awaitEverywhere("DOWN when no first ping came within period + grace", "DOWN", "missed");

    long pingedAt = System.nanoTime();
    assertEquals(200, http.post("eu-west", "/api/v1/heartbeats/backup", TOKEN).status());
    awaitEverywhere("UP after one ping to eu-west", "UP", null);

    awaitEverywhere("DOWN after period + grace without a ping", "DOWN", "missed");
    long downAfterMs = (System.nanoTime() - pingedAt) / 1_000_000;
    assertTrue(downAfterMs >= PERIOD_MS + GRACE_MS, "not DOWN early: " + downAfterMs + " ms");

    assertEquals(200, http.post("us-east", "/api/v1/heartbeats/backup", TOKEN).status());
    awaitEverywhere("UP after one ping to us-east", "UP", null);
    String path = "/api/v1/heartbeats/backup?status=fail&msg=disk%20full";
    assertEquals(200, http.post("ap-southeast", path, TOKEN).status());
    awaitEverywhere("DOWN after a fail ping to ap-southeast", "DOWN", "reported");
    for (String r : REGIONS) {
      assertEquals("disk full", local(r).getJsonObject("latest").getString("detail"), r);
    }
  }

  /**
   * Until every region's own probe reports {@code state} (with {@code kind}) and every region's
   * quorum verdict is {@code state}.
   */
  private void awaitEverywhere(String what, String state, String kind) {
    Poll.until(
        Duration.ofSeconds(20),
        what,
        () -> REGIONS.stream().map(this::view).toList(),
        views -> views.stream().allMatch(v -> v.equals(state + "/" + state + "/" + kind)));
  }

  /** "localState/verdictState/latestErrorKind" of one region. */
  private String view(String region) {
    JsonObject t = local(region);
    JsonObject latest = t.getJsonObject("latest");
    String kind = latest == null ? "none" : latest.getString("errorKind");
    return t.getString("state")
        + "/"
        + get(region, "/api/v1/verdicts/backup").getString("state")
        + "/"
        + kind;
  }

  private JsonObject local(String region) {
    return get(region, "/api/v1/targets/backup");
  }

  private JsonObject get(String region, String path) {
    try {
      return http.get(region, path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
