package io.quorate.faults;

import static io.quorate.faults.Contract.live;
import static io.quorate.faults.Contract.neverDown;
import static io.quorate.faults.Contract.quorate;
import static io.quorate.faults.Contract.regions;
import static io.quorate.faults.Contract.settled;
import static io.quorate.faults.Contract.state;
import static io.quorate.faults.Contract.transition;
import static io.quorate.faults.Contract.verdict;
import static io.quorate.testsupport.QuorateCluster.PEER_FRESHNESS_MS;
import static io.quorate.testsupport.QuorateCluster.VOTE_FRESHNESS_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.testsupport.AgentApi;
import io.quorate.testsupport.NetnsFaults;
import io.quorate.testsupport.NetnsLab;
import io.quorate.testsupport.NetnsNginx;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.QuorateCluster;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One lab per test class: three region agents (eu-west, us-east, ap-southeast, in that rank order),
 * each in its own namespace, meshed over the bridge and probing nginx in a fourth ({@code target}).
 * Before each test every fault is healed, any agent a test restarted with other options is
 * restarted plainly, and the cluster must converge: every agent quorate and settled, every peer
 * live, verdict UP everywhere.
 */
abstract class MeshFaultBase {
  static final String EU = "eu-west";
  static final String US = "us-east";
  static final String AP = "ap-southeast";
  static final List<String> REGIONS = List.of(EU, US, AP);
  private static final int TARGET_PORT = 80;

  /** A peer's loss or return shows within its freshness window plus a few heartbeats. */
  static final Duration PEER_BOUND = Duration.ofMillis(PEER_FRESHNESS_MS + 5000);

  /** A vote change reaches every verdict within fall intervals, the exchange delay and slack. */
  static final Duration VOTE_BOUND = Duration.ofMillis(VOTE_FRESHNESS_MS + 10_000);

  private static final Duration CONVERGE = Duration.ofSeconds(45);

  static NetnsLab lab;
  static QuorateCluster cluster;

  /** Regions whose agent runs with non-default options and must be restarted before a test. */
  private static final Set<String> dirty = new HashSet<>();

  @BeforeAll
  static void up(@org.junit.jupiter.api.io.TempDir Path dir) {
    lab = NetnsLab.create(List.of(EU, US, AP, "target"));
    NetnsNginx.start(lab, "target", TARGET_PORT, dir.resolve("nginx"));
    cluster = QuorateCluster.configure(lab, dir, REGIONS, lab.host("target").ip(), TARGET_PORT);
    cluster.startAll();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.close();
      assertEquals(List.of(), lab.leftovers());
    }
  }

  /** Heals every fault, restarts any agent a test changed, waits for a converged cluster. */
  @BeforeEach
  void converged() {
    faults().healAll();
    for (String r : REGIONS) {
      if (dirty.remove(r) && cluster.isRunning(r)) {
        cluster.kill9(r);
      }
      if (!cluster.isRunning(r)) {
        cluster.start(r);
      }
    }
    for (String r : REGIONS) {
      Poll.until(
          CONVERGE,
          r + " quorate, settled, sees every peer live",
          () -> regions(api(r)),
          j -> quorate(j) && settled(j) && REGIONS.stream().allMatch(p -> live(j, p)));
      Poll.until(CONVERGE, r + " verdict UP", () -> verdict(api(r)), v -> "UP".equals(state(v)));
    }
  }

  /** Restarts {@code region}'s agent with {@code args}; the next test restarts it plainly. */
  static void restart(String region, String... args) {
    dirty.add(region);
    cluster.kill9(region);
    cluster.start(region, args);
  }

  /** Every region's verdict on the target; fails at once on a DOWN one. */
  static Map<String, JsonObject> verdicts() {
    Map<String, JsonObject> m = new HashMap<>();
    REGIONS.forEach(r -> m.put(r, neverDown(verdict(api(r)), r)));
    return m;
  }

  /** Every region's verdict transition counter now. */
  static Map<String, Long> transitions() {
    Map<String, Long> m = new HashMap<>();
    verdicts().forEach((r, v) -> m.put(r, transition(v)));
    return m;
  }

  /** True when every verdict in {@code now} is UP with the transition counter of {@code before}. */
  static boolean steadyUp(Map<String, JsonObject> now, Map<String, Long> before) {
    return REGIONS.stream()
        .allMatch(r -> "UP".equals(state(now.get(r))) && transition(now.get(r)) == before.get(r));
  }

  static AgentApi api(String region) {
    return cluster.api(region);
  }

  static NetnsFaults faults() {
    return lab.faults();
  }
}
