package io.quorate.testsupport;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.Agent;
import io.quorate.cli.RunCommand;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.metrics.Registries;
import io.quorate.probe.ProbeRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Several region agents in one JVM, each with its own Vert.x instance and API port on loopback,
 * meshed with signed votes: writes the shared file (the caller's YAML plus the regions) and one
 * region file each, then starts every agent. Closed by closing every Vert.x instance.
 */
public final class LocalCluster implements AutoCloseable {
  public static final String TOKEN = "local-cluster-token-0123456789";
  public static final String OPERATE_TOKEN = "local-cluster-operate-0123456789";

  private final List<String> regions;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final List<Vertx> vertxes = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, Vertx> vertxOf = new HashMap<>();
  private Path dir;
  private BiFunction<String, Vertx, ProbeRegistry> probes;
  private final Map<String, Clock> clocks = new HashMap<>();

  private LocalCluster(List<String> regions) {
    this.regions = List.copyOf(regions);
  }

  /**
   * Starts one agent per region.
   *
   * @param sharedBody the shared file after its {@code regions:} line (quorum, targets, pools…)
   * @param extraEnv secrets the body refers to
   * @param probes per region, the probe registry to use, or {@code null} for the standard set
   */
  public static LocalCluster start(
      Path dir,
      List<String> regions,
      String sharedBody,
      Map<String, String> extraEnv,
      BiFunction<String, Vertx, ProbeRegistry> probes)
      throws Exception {
    return start(dir, regions, sharedBody, extraEnv, probes, Map.of());
  }

  /** The same with a wall clock per region (others: the system clock), e.g. one running ahead. */
  public static LocalCluster start(
      Path dir,
      List<String> regions,
      String sharedBody,
      Map<String, String> extraEnv,
      BiFunction<String, Vertx, ProbeRegistry> probes,
      Map<String, Clock> clocks)
      throws Exception {
    LocalCluster c = new LocalCluster(regions);
    c.clocks.putAll(clocks);
    c.env.putAll(extraEnv);
    c.env.put("T", TOKEN);
    c.env.put("O", OPERATE_TOKEN);
    for (String r : regions) {
      c.ports.put(r, Ports.free());
      c.env.put(keyVar(r), "mesh-key-" + r + "-0123456789abcdefghij");
    }
    Path shared = dir.resolve("quorate.yaml");
    Files.writeString(shared, "regions: " + regions + "\n" + sharedBody);
    c.dir = dir;
    c.probes = probes;
    try {
      for (String r : regions) {
        Files.writeString(dir.resolve(r + ".yaml"), c.regionYaml(r));
        c.agents.put(r, c.startAgent(r));
      }
    } catch (Exception e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Starts region {@code r}'s agent from its files (its data dir is kept across restarts). */
  private Agent startAgent(String r) throws Exception {
    LoadedConfig cfg =
        new ConfigLoader(env::get).load(dir.resolve("quorate.yaml"), dir.resolve(r + ".yaml"));
    PrometheusMeterRegistry registry = Registries.prometheus();
    Vertx vertx = RunCommand.newVertx(registry);
    vertxes.add(vertx);
    vertxOf.put(r, vertx);
    Clock clock = clocks.getOrDefault(r, Clock.systemUTC());
    Agent agent =
        probes == null
            ? Agent.standard(vertx, cfg, registry, clock)
            : new Agent(vertx, cfg, registry, clock, probes.apply(r, vertx));
    agent.reloadFrom(
        new io.quorate.config.ConfigFiles(
            dir.resolve("quorate.yaml"), dir.resolve(r + ".yaml"), env::get));
    ApiPoll.await(agent.start());
    return agent;
  }

  /**
   * Stops one region's agent gracefully ({@link Agent#stop}, ADR 0016) within {@code limit}, then
   * closes its Vert.x instance, as {@code quorate run} does on SIGTERM.
   */
  public void stopGracefully(String region, java.time.Duration limit) throws Exception {
    Agent a = agents.remove(region);
    if (a != null) {
      ApiPoll.await(a.stop(limit));
      ApiPoll.await(vertxOf.get(region).close());
    }
  }

  /**
   * Starts a second agent speaking as {@code region} (same region file and key) on its own port and
   * data directory, as a forgotten second VM would: a misconfiguration the peers must detect. The
   * impostor is closed with the cluster.
   */
  public Agent startImpostor(String region) throws Exception {
    Path file = dir.resolve(region + "-impostor.yaml");
    Files.writeString(
        file,
        regionYaml(region)
            .replace("port: " + ports.get(region) + "}", "port: " + Ports.free() + "}")
            .replace("dataDir: data-" + region, "dataDir: data-" + region + "-impostor"));
    LoadedConfig cfg = new ConfigLoader(env::get).load(dir.resolve("quorate.yaml"), file);
    PrometheusMeterRegistry registry = Registries.prometheus();
    Vertx vertx = RunCommand.newVertx(registry);
    vertxes.add(vertx);
    Agent agent = Agent.standard(vertx, cfg, registry);
    ApiPoll.await(agent.start());
    return agent;
  }

  /** Starts a stopped region's agent again on {@code clock} (e.g. after the clock was stepped). */
  public Agent restart(String region, Clock clock) throws Exception {
    clocks.put(region, clock);
    return restart(region);
  }

  /** Starts a stopped (or killed) region's agent again, same config and data dir. */
  public Agent restart(String region) throws Exception {
    if (agents.containsKey(region)) {
      throw new IllegalStateException(region + " is running");
    }
    Agent a = startAgent(region);
    agents.put(region, a);
    return a;
  }

  private String regionYaml(String r) {
    StringBuilder y =
        new StringBuilder(
            "region: "
                + r
                + "\nlisten: {host: 127.0.0.1, port: "
                + ports.get(r)
                + "}\ndataDir: data-"
                + r
                + "\ntokens:\n"
                + "  - {name: reader, token: '${env:T}', scopes: [read]}\n"
                + "  - {name: operator, token: '${env:O}', scopes: [read, operate]}\n"
                + "mesh:\n  key: '${env:"
                + keyVar(r)
                + "}'\n  peers:"
                + (regions.size() == 1 ? " []\n" : "\n"));
    for (String o : regions) {
      if (!o.equals(r)) {
        y.append("    - {region: ")
            .append(o)
            .append(", url: 'http://127.0.0.1:")
            .append(ports.get(o))
            .append("', key: '${env:")
            .append(keyVar(o))
            .append("}'}\n");
      }
    }
    return y.toString();
  }

  private static String keyVar(String region) {
    return "K_" + region.replace('-', '_').toUpperCase(java.util.Locale.ROOT);
  }

  /** The shared file every agent was started with (and reads again on a reload). */
  public static Path sharedFile(Path dir) {
    return dir.resolve("quorate.yaml");
  }

  public int port(String region) {
    return ports.get(region);
  }

  public Agent agent(String region) {
    return agents.get(region);
  }

  public List<String> regions() {
    return regions;
  }

  /** Stops one region's agent (its Vert.x instance): a crashed region. */
  public void kill(String region) throws Exception {
    Agent a = agents.remove(region);
    if (a != null) {
      ApiPoll.await(vertxOf.get(region).close());
    }
  }

  @Override
  public void close() throws Exception {
    for (Vertx v : vertxes) {
      try {
        ApiPoll.await(v.close());
      } catch (Exception e) {
        // closing anyway
      }
    }
  }
}
