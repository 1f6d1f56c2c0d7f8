package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Quorate agents, one per region namespace of a {@link NetnsLab}, probing one HTTP target in
 * another namespace and meshed with each other over the bridge. Writes a shared config and one
 * region file per region into a temp dir (fresh random API token and mesh keys, given through the
 * environment), and runs each agent as {@code java -cp <test class path> io.quorate.Main run} under
 * {@code ip netns exec}, so no packaged jar is needed and the classes under test are the ones just
 * compiled. Timings are short so scenarios converge in seconds.
 */
public final class QuorateCluster implements AutoCloseable {
  /** The agents' API port. Each agent has a namespace of its own, so nothing else can hold it. */
  public static final int AGENT_PORT = 7300;

  public static final String TARGET_ID = "web";
  public static final long INTERVAL_MS = 1000;
  public static final long TIMEOUT_MS = 500;
  public static final int FALL = 2;
  public static final int RISE = 2;
  public static final long HEARTBEAT_MS = 300;
  public static final long GRACE_MS = 2000;
  public static final long MAX_SKEW_MS = 60_000;
  public static final long STANDBY_MS = 1000;

  /** A vote is fresh for 3 intervals + grace after receipt (QuorateConfig.Quorum.freshnessMs). */
  public static final long VOTE_FRESHNESS_MS = 3 * INTERVAL_MS + GRACE_MS;

  /** A peer is live for 3 heartbeats + grace after its last valid message. */
  public static final long PEER_FRESHNESS_MS = 3 * HEARTBEAT_MS + GRACE_MS;

  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  private final NetnsLab lab;
  private final Path dir;
  private final List<String> regions;
  private final Path shared;
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, LabProcess> agents = new LinkedHashMap<>();
  private final Map<String, Integer> starts = new HashMap<>();
  private final String token;
  private final String operateToken;

  /**
   * An HTTP target of the shared config: {@code GET http://ip:port/health} must answer 200.
   *
   * @param id target id (e.g. a pool member's {@code target})
   * @param ip a lab address
   * @param port its port
   */
  public record HttpTarget(String id, String ip, int port) {}

  private QuorateCluster(NetnsLab lab, Path dir, List<String> regions, Path shared) {
    this.lab = lab;
    this.dir = dir;
    this.regions = List.copyOf(regions);
    this.shared = shared;
    this.token = random(24);
    this.operateToken = random(24);
    env.put("QUORATE_READ_TOKEN", token);
    env.put("QUORATE_OPERATE_TOKEN", operateToken);
    regions.forEach(r -> env.put(keyVar(r), random(40)));
  }

  /**
   * Writes the configs for {@code regions} (lab hosts, in rank order) probing {@code targetUrl}'s
   * host and port ({@code http://198.18.0.x:port}, path {@code /health}). Starts nothing.
   */
  public static QuorateCluster configure(
      NetnsLab lab, Path dir, List<String> regions, String targetIp, int targetPort) {
    return configure(
        lab, dir, regions, List.of(new HttpTarget(TARGET_ID, targetIp, targetPort)), "");
  }

  /**
   * Writes the configs for {@code regions} probing {@code targets}, with {@code extraYaml} (whole
   * top-level sections, e.g. {@code zones:} and {@code pools:}) appended to the shared file. Values
   * it references as {@code ${env:NAME}} are given with {@link #env(String, String)}.
   */
  public static QuorateCluster configure(
      NetnsLab lab, Path dir, List<String> regions, List<HttpTarget> targets, String extraYaml) {
    Path shared = dir.resolve("quorate.yaml");
    write(shared, sharedConfig(regions, targets) + extraYaml);
    return new QuorateCluster(lab, dir, regions, shared);
  }

  /**
   * Sets an environment variable for agents started from now on (a running agent keeps the value it
   * started with: restart it to apply a new one).
   */
  public synchronized QuorateCluster env(String name, String value) {
    env.put(name, value);
    return this;
  }

  private static String sharedConfig(List<String> regions, List<HttpTarget> targets) {
    StringBuilder t = new StringBuilder("targets:\n");
    for (HttpTarget h : targets) {
      t.append("  - id: ").append(h.id()).append('\n');
      t.append("    type: http\n");
      t.append("    address: ").append(h.ip()).append('\n');
      t.append("    port: ").append(h.port()).append('\n');
      t.append("    http:\n      path: /health\n      expectStatus: [200]\n");
    }
    return String.join(
        "\n",
        "regions: [" + String.join(", ", regions) + "]",
        "quorum:",
        "  graceMs: " + GRACE_MS,
        "  maxSkewMs: " + MAX_SKEW_MS,
        "  heartbeatMs: " + HEARTBEAT_MS,
        "  standbyMs: " + STANDBY_MS,
        "defaults:",
        "  intervalMs: " + INTERVAL_MS,
        "  timeoutMs: " + TIMEOUT_MS,
        "  fall: " + FALL,
        "  rise: " + RISE,
        t.toString());
  }

  private String regionConfig(String region, Path dataDir) {
    StringBuilder peers = new StringBuilder();
    for (String p : regions) {
      if (!p.equals(region)) {
        peers.append("    - region: ").append(p).append('\n');
        peers.append("      url: http://").append(lab.host(p).ip()).append(':');
        peers.append(AGENT_PORT).append('\n');
        peers.append("      key: ${env:").append(keyVar(p)).append("}\n");
      }
    }
    return String.join(
        "\n",
        "region: " + region,
        "listen:",
        "  host: " + lab.host(region).ip(),
        "  port: " + AGENT_PORT,
        "dataDir: " + dataDir,
        "tokens:",
        "  - name: reader",
        "    token: ${env:QUORATE_READ_TOKEN}",
        "    scopes: [read]",
        "  - name: operator",
        "    token: ${env:QUORATE_OPERATE_TOKEN}",
        "    scopes: [read, operate]",
        "mesh:",
        "  key: ${env:" + keyVar(region) + "}",
        "  peers:",
        peers.toString());
  }

  /** Starts every region's agent (all JVMs at once) and waits until each answers /healthz. */
  public void startAll() {
    regions.forEach(r -> launch(r, List.of()));
    regions.forEach(this::awaitReady);
  }

  /**
   * Starts {@code region}'s agent with an empty data dir and {@code extraArgs} appended to {@code
   * quorate run} (e.g. {@code --clock-offset-ms=30000}); waits until it answers /healthz.
   */
  public void start(String region, String... extraArgs) {
    launch(region, List.of(extraArgs));
    awaitReady(region);
  }

  private synchronized void launch(String region, List<String> extraArgs) {
    LabProcess old = agents.get(region);
    if (old != null && old.isAlive()) {
      throw new IllegalStateException("agent " + region + " is already running: " + old);
    }
    int n = starts.merge(region, 1, Integer::sum);
    Path dataDir = dir.resolve("data-" + region + "-" + n);
    Path regionFile = dir.resolve(region + ".yaml");
    write(regionFile, regionConfig(region, dataDir));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx128m",
                "-XX:-UsePerfData",
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                System.getProperty("java.class.path"),
                "io.quorate.Main",
                "run",
                "--config",
                shared.toString(),
                "--region",
                regionFile.toString()));
    cmd.addAll(extraArgs);
    agents.put(region, lab.start(region, "agent-" + region, cmd, dir, Map.copyOf(env)));
  }

  private void awaitReady(String region) {
    LabProcess p = agents.get(region);
    AgentApi api = api(region);
    Poll.until(
        START_LIMIT,
        "agent " + region + " answers /healthz",
        () -> {
          if (!p.isAlive()) {
            throw new AgentExitedError(region, p.log());
          }
          return api.status("/healthz");
        },
        status -> status == 200);
  }

  /** An agent that exited while we waited for it: fail at once, with its log. */
  static final class AgentExitedError extends AssertionError {
    private static final long serialVersionUID = 1L;

    AgentExitedError(String region, Path log) {
      super("agent " + region + " exited; its log:\n" + tail(log));
    }
  }

  /** {@code kill -9} the agent (it keeps its namespace and any fault rules). */
  public void kill9(String region) {
    lab.kill9(agent(region));
  }

  /** {@code kill -STOP}: the agent freezes, its sockets stay open. */
  public void pause(String region) {
    lab.signal(agent(region), "STOP");
  }

  /** {@code kill -CONT}. */
  public void resume(String region) {
    lab.signal(agent(region), "CONT");
  }

  /** Whether {@code region}'s agent was ever started (its log exists). */
  public boolean started(String region) {
    return agents.containsKey(region);
  }

  public boolean isRunning(String region) {
    LabProcess p = agents.get(region);
    return p != null && p.isAlive();
  }

  public LabProcess agent(String region) {
    LabProcess p = agents.get(region);
    if (p == null) {
      throw new IllegalStateException("agent " + region + " was never started");
    }
    return p;
  }

  /** The REST API of {@code region}'s agent, queried from inside its own namespace. */
  public AgentApi api(String region) {
    return new AgentApi(
        lab, region, "http://" + lab.host(region).ip() + ":" + AGENT_PORT, token, operateToken);
  }

  /** The shared config file ({@code quorate.yaml}) every agent reads. */
  public Path configFile() {
    return shared;
  }

  public List<String> regions() {
    return regions;
  }

  /** Stops every agent (the lab would too; this lets a test restart the cluster). */
  @Override
  public void close() {
    agents.values().forEach(LabProcess::close);
  }

  private static String keyVar(String region) {
    return "QUORATE_MESH_KEY_" + region.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static String random(int chars) {
    byte[] b = new byte[chars];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b).substring(0, chars);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last 4 KiB of a log, for failure messages. */
  public static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() <= 4096 ? s : "..." + s.substring(s.length() - 4096);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }
}
