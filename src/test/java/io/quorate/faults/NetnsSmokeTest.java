package io.quorate.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.AgentApi;
import io.quorate.testsupport.LabProcess;
import io.quorate.testsupport.NetnsFaults.Direction;
import io.quorate.testsupport.NetnsLab;
import io.quorate.testsupport.NetnsNginx;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.QuorateCluster;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network-namespace lab itself (root required, as in CI): the topology comes up and goes away
 * quickly and completely, and an agent inside a region namespace probes nginx in the target
 * namespace across the bridge, sees a cut as DOWN and the heal as UP again.
 */
@Timeout(120)
class NetnsSmokeTest {
  private static final Logger LOG = LoggerFactory.getLogger(NetnsSmokeTest.class);
  private static final List<String> HOSTS = List.of("eu-west", "us-east", "ap-southeast", "target");
  private static final long SETUP_BOUND_MS = 5000;
  private static final int TARGET_PORT = 80;

  /** Local DOWN needs {@code fall} failed probes: fall intervals, a timeout, jitter, slack. */
  private static final Duration STATE_BOUND = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void topologyUpAndDownWithinBoundsLeavingNothing() {
    String hostRoutes = hostState();
    long t0 = System.nanoTime();
    NetnsLab lab = NetnsLab.create(HOSTS);
    long upMs = (System.nanoTime() - t0) / 1_000_000;
    try {
      for (NetnsLab.Host h : lab.hosts()) {
        assertEquals(
            List.of("198.18.0.0/24 dev eth0 scope link"),
            lines(lab.run(h.name(), List.of("ip", "route", "show"))),
            h.name() + ": exactly one route");
        assertEquals(
            List.of("lo inet 127.0.0.1/8", "eth0 inet " + h.ip() + "/24"),
            addresses(lab.run(h.name(), List.of("ip", "-o", "addr", "show"))),
            h.name() + ": one address on eth0, no IPv6");
        assertEquals("", ipOut(List.of("ip", "-o", "addr", "show", "dev", h.veth())).strip());
      }
      assertEquals("", ipOut(List.of("ip", "-o", "addr", "show", "dev", lab.bridge())).strip());
      assertEquals(hostRoutes, hostState(), "the host's routes and iptables are unchanged");
    } finally {
      long t1 = System.nanoTime();
      lab.close();
      long downMs = (System.nanoTime() - t1) / 1_000_000;
      LOG.info("netns-smoke setupMs={} teardownMs={} hosts={}", upMs, downMs, HOSTS.size());
      assertTrue(downMs < SETUP_BOUND_MS, "teardown took " + downMs + " ms");
    }
    assertTrue(upMs < SETUP_BOUND_MS, "setup took " + upMs + " ms");
    assertEquals(List.of(), lab.leftovers());
    assertEquals(hostRoutes, hostState());
  }

  @Test
  void agentInRegionSeesTargetUpThenDownWhenCutThenUpWhenHealed() {
    String hostBefore = hostState();
    NetnsLab lab = NetnsLab.create(HOSTS);
    List<Long> pids = new ArrayList<>();
    try {
      NetnsNginx nginx = NetnsNginx.start(lab, "target", TARGET_PORT, dir.resolve("nginx"));
      pids.add(nginx.process().pid());
      QuorateCluster cluster =
          QuorateCluster.configure(
              lab,
              dir,
              List.of("eu-west", "us-east", "ap-southeast"),
              lab.host("target").ip(),
              TARGET_PORT);
      cluster.start("eu-west");
      pids.add(cluster.agent("eu-west").pid());
      AgentApi api = cluster.api("eu-west");

      awaitLocal(api, "UP");
      lab.faults().cut("eu-west", "target", Direction.BOTH);
      assertEquals(2, lab.faults().rules("eu-west").size());
      assertEquals(List.of(), lab.faults().rules("target"), "faults live in one namespace");
      JsonObject down = awaitLocal(api, "DOWN");
      JsonObject latest = down.getJsonObject("latest");
      assertEquals("DOWN", latest.getString("outcome"), latest.encode());
      assertEquals("timeout", latest.getString("errorKind"), latest.encode());

      lab.faults().heal("eu-west");
      assertEquals(List.of(), lab.faults().rules("eu-west"));
      awaitLocal(api, "UP");
      peerCutsAndIsolation(lab);
      pauseResumeKillRestart(lab, cluster);
      pids.add(cluster.agent("eu-west").pid());
    } finally {
      lab.close();
    }
    assertEquals(List.of(), lab.leftovers(), "no interface or namespace left");
    assertEquals(List.of(), lab.liveProcesses(), "no process left");
    pids.forEach(
        pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    assertEquals(hostBefore, hostState(), "no host route or iptables rule left");
  }

  /** {@code loss(a, b, 0.3)} drops about 30 % of a's packets to b (2000 UDP datagrams, ±5σ). */
  @Test
  void lossDropsAboutTheGivenShare() {
    try (NetnsLab lab = NetnsLab.create(List.of("a", "b"))) {
      lab.faults().loss("a", "b", 0.3);
      // count arrivals at b with an accounting rule (ACCEPT changes nothing: the policy is ACCEPT)
      lab.run(
          "b",
          List.of(
              lab.iptables(),
              "-w",
              "-A",
              "INPUT",
              "-i",
              "eth0",
              "-p",
              "udp",
              "--dport",
              "9",
              "-j",
              "ACCEPT"));
      String ip = lab.host("b").ip();
      lab.run(
          "a",
          List.of(
              "bash",
              "-c",
              "for i in $(seq 2000); do echo x 2>/dev/null > /dev/udp/" + ip + "/9; done; true"));
      String counters =
          lab.run("b", List.of(lab.iptables(), "-w", "-L", "INPUT", "-v", "-n", "-x"));
      long arrived =
          Long.parseLong(lines(counters).get(lines(counters).size() - 1).split("\\s+")[0]);
      LOG.info("netns-smoke loss sent=2000 arrived={}", arrived);
      assertTrue(arrived > 1400 - 103 && arrived < 1400 + 103, "arrived " + arrived + " of 2000");
    }
  }

  /**
   * What the partition scenarios rely on: a cut between two regions stops mesh traffic between them
   * only, and an isolated agent's API still answers from inside its own namespace.
   */
  private static void peerCutsAndIsolation(NetnsLab lab) {
    String healthz = "http://" + lab.host("eu-west").ip() + ":" + QuorateCluster.AGENT_PORT;
    healthz += "/healthz";
    assertEquals(0, curl(lab, "us-east", healthz), "regions reach each other over the bridge");
    lab.faults().cut("eu-west", "us-east", Direction.BOTH);
    assertEquals(28, curl(lab, "us-east", healthz), "cut: curl times out (dropped, not refused)");
    assertEquals(0, curl(lab, "ap-southeast", healthz), "only the cut pair is affected");
    lab.faults().heal("eu-west").isolate("eu-west");
    assertEquals(28, curl(lab, "ap-southeast", healthz));
    assertEquals(0, curl(lab, "eu-west", healthz), "an isolated agent is still observable");
    lab.faults().heal("eu-west");
    assertEquals(0, curl(lab, "us-east", healthz));
  }

  /** SIGSTOP freezes the API, SIGCONT thaws it; kill -9 and a restart bring the agent back. */
  private static void pauseResumeKillRestart(NetnsLab lab, QuorateCluster cluster) {
    AgentApi api = cluster.api("eu-west");
    cluster.pause("eu-west");
    AgentApi.ApiException frozen =
        assertThrows(AgentApi.ApiException.class, () -> api.status("/healthz"));
    assertEquals(0, frozen.status(), frozen.getMessage());
    cluster.resume("eu-west");
    assertEquals(200, api.status("/healthz"));
    long old = cluster.agent("eu-west").pid();
    cluster.kill9("eu-west");
    assertFalse(cluster.isRunning("eu-west"));
    cluster.start("eu-west");
    assertNotEquals(old, cluster.agent("eu-west").pid());
    awaitLocal(api, "UP");
  }

  /** curl's exit code for {@code url} from inside {@code host} (0 ok, 28 timed out). */
  private static int curl(NetnsLab lab, String host, String url) {
    return lab.exec(
            host, List.of("curl", "-sf", "-o", "/dev/null", "-m", "1", url), Duration.ofSeconds(5))
        .exitCode();
  }

  private static JsonObject awaitLocal(AgentApi api, String state) {
    long t0 = System.nanoTime();
    JsonObject t =
        Poll.until(
            STATE_BOUND,
            api.region() + " sees target " + QuorateCluster.TARGET_ID + " " + state,
            () -> api.target(QuorateCluster.TARGET_ID),
            j -> state.equals(j.getString("state")));
    LOG.info("netns-smoke state={} afterMs={}", state, (System.nanoTime() - t0) / 1_000_000);
    return t;
  }

  /** The host namespace's routes (v4 and v6) and iptables filter rules. */
  private static String hostState() {
    return ipOut(List.of("ip", "route", "show"))
        + ipOut(List.of("ip", "-6", "route", "show"))
        + LabProcess.run(List.of("iptables", "-w", "-S"), Duration.ofSeconds(10));
  }

  private static String ipOut(List<String> cmd) {
    return LabProcess.run(cmd, Duration.ofSeconds(10));
  }

  private static List<String> lines(String s) {
    return s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** "ifname family address" for each line of {@code ip -o addr show}. */
  private static List<String> addresses(String s) {
    return lines(s).stream()
        .map(l -> l.split("\\s+"))
        .map(f -> f[1].replaceAll("@.*", "") + " " + f[2] + " " + f[3])
        .toList();
  }
}
