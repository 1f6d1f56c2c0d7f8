package io.quorate.reload;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live reload across three real agents probing real nginx members (ADR 0017): a target added, one
 * changed, one removed by editing the shared file and reloading every region. The added target gets
 * a quorate verdict, the removed one leaves every view and metric, the unchanged one keeps its
 * verdict history and observation sequence (no restart), and the mesh reports config drift exactly
 * while the regions disagree.
 */
class ConfigReloadThreeRegionsTest {
  static final List<String> REGIONS = List.of("eu", "us", "ap");
  static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static String target(String id, NginxMember m, String extra) {
    return "  - {id: "
        + id
        + ", type: http, address: 127.0.0.1, port: "
        + m.port()
        + ", http: {path: /health}"
        + extra
        + "}\n";
  }

  @Test
  void addChangeRemoveAcrossRegionsWithoutRestart() throws Exception {
    String head =
        "quorum: {heartbeatMs: 200, graceMs: 1000}\n"
            + "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}\n"
            + "targets:\n";
    Vertx vertx = Vertx.vertx();
    try (NginxMember m1 = NginxMember.start(dir.resolve("n1"));
        NginxMember m2 = NginxMember.start(dir.resolve("n2"));
        NginxMember m3 = NginxMember.start(dir.resolve("n3"));
        LocalCluster c =
            LocalCluster.start(
                dir,
                REGIONS,
                head + target("keep", m1, "") + target("edit", m2, "") + target("gone", m3, ""),
                Map.of(),
                null)) {
      String after =
          head
              + target("keep", m1, "")
              + target("edit", m2, ", timeoutMs: 400")
              + target("fresh", m3, "");
      reloadEveryRegion(c, new ApiPoll(vertx, LocalCluster.TOKEN), WebClient.create(vertx), after);
    } finally {
      await(vertx.close());
    }
  }

  private void reloadEveryRegion(LocalCluster c, ApiPoll api, WebClient web, String after)
      throws Exception {
    for (String r : REGIONS) {
      await(api.until(c.port(r), "/api/v1/verdicts", LIMIT, j -> allUp(j, "keep", "edit", "gone")));
      // a quorate UP can come from the peers' votes before this region's own first observation
      await(
          api.until(
              c.port(r), "/api/v1/targets/keep", LIMIT, j -> j.getJsonObject("latest") != null));
    }
    Map<String, JsonObject> keepBefore = new HashMap<>();
    Map<String, Long> seqBefore = new HashMap<>();
    for (String r : REGIONS) {
      keepBefore.put(r, verdict(await(api.get(c.port(r), "/api/v1/verdicts")), "keep"));
      seqBefore.put(r, latestSeq(await(api.get(c.port(r), "/api/v1/targets/keep"))));
    }

    Files.writeString(LocalCluster.sharedFile(dir), "regions: " + REGIONS + "\n" + after);
    JsonObject report = reload(web, c.port("eu"));
    assertEquals(
        new JsonArray().add("fresh"), report.getJsonObject("targets").getJsonArray("added"));
    assertEquals(
        new JsonArray().add("edit"), report.getJsonObject("targets").getJsonArray("changed"));
    assertEquals(
        new JsonArray().add("gone"), report.getJsonObject("targets").getJsonArray("removed"));
    // only eu reloaded: eu and its peers each see the other side's hash differ
    await(api.until(c.port("eu"), "/api/v1/regions", LIMIT, j -> drift(j, "us") && drift(j, "ap")));
    await(
        api.until(c.port("us"), "/api/v1/regions", LIMIT, j -> drift(j, "eu") && !drift(j, "ap")));

    for (String r : List.of("us", "ap")) {
      assertEquals(report.getString("configHash"), reload(web, c.port(r)).getString("configHash"));
    }
    for (String r : REGIONS) {
      assertApplied(r, c.port(r), api, web, keepBefore.get(r), seqBefore.get(r));
    }
  }

  /** After every region reloaded: no drift, the new set of targets, keep's history intact. */
  private static void assertApplied(
      String r, int port, ApiPoll api, WebClient web, JsonObject keepBefore, long seq)
      throws Exception {
    await(
        api.until(
            port, "/api/v1/regions", LIMIT, j -> REGIONS.stream().noneMatch(o -> drift(j, o))));
    JsonObject v =
        await(api.until(port, "/api/v1/verdicts", LIMIT, j -> allUp(j, "keep", "edit", "fresh")));
    assertEquals(null, verdict(v, "gone"), r + ": gone left /verdicts");
    JsonObject k = verdict(v, "keep");
    assertEquals(keepBefore.getLong("transition"), k.getLong("transition"), r);
    assertEquals(keepBefore.getString("since"), k.getString("since"), r + ": no restart");
    JsonObject targets = await(api.get(port, "/api/v1/targets"));
    assertEquals(List.of("edit", "fresh", "keep"), ids(targets), r);
    await(api.until(port, "/api/v1/targets/keep", LIMIT, j -> latestSeq(j) > seq));
    HttpResponse<Buffer> metrics = await(web.get(port, "127.0.0.1", "/metrics").send());
    String text = metrics.bodyAsString();
    assertFalse(text.contains("target=\"gone\""), r + ": gone left /metrics");
    assertTrue(text.contains("target=\"fresh\""), r + ": fresh is in /metrics");
  }

  private static JsonObject reload(WebClient web, int port) throws Exception {
    HttpResponse<Buffer> r =
        await(
            web.post(port, "127.0.0.1", "/api/v1/config/reload")
                .putHeader("Authorization", "Bearer " + LocalCluster.OPERATE_TOKEN)
                .send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static boolean allUp(JsonObject verdicts, String... ids) {
    for (String id : ids) {
      JsonObject v = verdict(verdicts, id);
      if (v == null || !"UP".equals(v.getString("state"))) {
        return false;
      }
    }
    return true;
  }

  static JsonObject verdict(JsonObject verdicts, String id) {
    for (Object o : verdicts.getJsonArray("verdicts")) {
      JsonObject v = (JsonObject) o;
      if (id.equals(v.getString("targetId"))) {
        return v;
      }
    }
    return null;
  }

  /** True when {@code region}'s last message carried a different config hash. */
  static boolean drift(JsonObject regions, String region) {
    for (Object o : regions.getJsonArray("regions")) {
      JsonObject r = (JsonObject) o;
      if (region.equals(r.getString("region")) && !r.getBoolean("self")) {
        return Boolean.FALSE.equals(r.getBoolean("configMatch"));
      }
    }
    return false;
  }

  static long latestSeq(JsonObject target) {
    return Objects.requireNonNull(target.getJsonObject("latest"), "latest").getLong("seq");
  }

  static List<String> ids(JsonObject targets) {
    List<String> out = new ArrayList<>();
    targets.getJsonArray("targets").forEach(t -> out.add(((JsonObject) t).getString("id")));
    return out;
  }
}
