package io.quorate.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.Ports;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents over one mesh, about who a region is. (1) A region whose clock ran 20 s ahead is
 * restarted with the clock corrected (an NTP step back at boot, within {@code maxSkewMs}): its peer
 * takes its messages and its votes at once. Before {@code store.SequenceFloor} the messages were
 * refused as replays until the clock caught up, and the votes, numbered from the clock, stayed "not
 * newer" than the ones sent before the restart. (2) A second agent started with the same region
 * file and key on another port and data directory: the peer counts {@code identity-clash} refusals
 * for that region.
 */
@Timeout(90)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshIdentityTest {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static final String B = "us-east";

  @TempDir static Path dir;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    String shared =
        String.join(
            "\n",
            "quorum: {heartbeatMs: 200, graceMs: 1000}",
            "defaults: {intervalMs: 1000, timeoutMs: 300, fall: 1, rise: 1}",
            "targets:",
            "  - {id: closed, type: tcp, address: 127.0.0.1, port: " + Ports.free() + "}",
            "");
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(20));
    cluster =
        LocalCluster.start(
            dir, List.of("eu-west", "us-east"), shared, Map.of(), null, Map.of(B, ahead));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  @Test
  @Order(1)
  void aRestartWithTheClockSteppedBackIsHeardAtOnce() throws Exception {
    long before =
        Poll.until(Duration.ofSeconds(20), "b's vote at a", () -> obsSeqOfB(), s -> s > 0);
    cluster.stopGracefully(B, Duration.ofSeconds(10));
    cluster.restart(B, Clock.systemUTC()); // 20 s back, after well under 20 s away
    long after =
        Poll.until(
            Duration.ofSeconds(10),
            "a newer vote of b at a (before: " + before + ")",
            () -> obsSeqOfB(),
            s -> s > before);
    assertTrue(after > before);
    JsonObject b = regionB();
    assertEquals(true, b.getBoolean("live"), b.encode());
    assertEquals(
        0L,
        b.getJsonObject("rejected").getLong("replay"),
        "no message of the restarted b refused as a replay: " + b.encode());
  }

  @Test
  @Order(2)
  void aSecondAgentWithTheSameRegionIdentityIsReportedAsAnIdentityClash() throws Exception {
    assertEquals(0L, regionB().getJsonObject("rejected").getLong("identity-clash"));
    cluster.startImpostor(B);
    JsonObject b =
        Poll.until(
            Duration.ofSeconds(20),
            "identity-clash refusals for " + B + " at eu-west",
            MeshIdentityTest::regionB,
            r -> r.getJsonObject("rejected").getLong("identity-clash") > 0);
    assertTrue(b.getJsonObject("rejected").getLong("identity-clash") > 0, b.encode());
  }

  private static long obsSeqOfB() {
    JsonObject v = get("/api/v1/verdicts/closed");
    for (Object o : v.getJsonArray("votes")) {
      JsonObject vote = (JsonObject) o;
      if (B.equals(vote.getString("region")) && vote.getValue("obsSeq") != null) {
        return vote.getLong("obsSeq");
      }
    }
    return 0;
  }

  private static JsonObject regionB() {
    for (Object o : get("/api/v1/regions").getJsonArray("regions")) {
      if (B.equals(((JsonObject) o).getString("region"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no region b");
  }

  private static JsonObject get(String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + cluster.port("eu-west") + path))
                  .header("Authorization", "Bearer " + LocalCluster.TOKEN)
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
      }
      return new JsonObject(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
