package io.quorate.demo;

import io.quorate.Agent;
import io.quorate.api.DemoResource;
import io.quorate.config.LoadedConfig;
import io.quorate.metrics.Registries;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quorate demo}: three region agents, each on its own Vert.x instance with its own API and
 * embedded DNS port, meshed through {@link LinkProxy proxies} the demo can cut, probing a sample
 * fleet that runs in the same JVM on 127.0.0.x addresses. Everything listens on loopback only.
 */
public final class Demo implements DemoResource.Control {
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  private final DemoOptions options;
  private final Path dir;
  private final Vertx fleetVertx;
  private final List<Vertx> agentVertx = new ArrayList<>();
  private final List<Agent> agents = new ArrayList<>();
  private final Map<String, LinkProxy> links = new LinkedHashMap<>();
  private DemoFleet fleet;
  private DnsPair dnsPair;
  private DemoConfig config;

  private Demo(DemoOptions options, Path dir) {
    this.options = options;
    this.dir = dir;
    this.fleetVertx = Vertx.vertx(small());
    // every instance is created here, on the caller's thread, never from inside a callback
    for (int i = 0; i < DemoOptions.REGIONS.size(); i++) {
      agentVertx.add(Vertx.vertx(small()));
    }
  }

  /** Small Vert.x instances: the demo runs four of them in one JVM. */
  private static VertxOptions small() {
    return new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4);
  }

  /**
   * Starts the fleet, the mesh proxies and the three agents; fails (after closing what started)
   * when a port is taken.
   *
   * @param dir an empty private directory for the generated config and secrets
   */
  public static Future<Demo> start(DemoOptions options, Path dir) {
    Demo demo = new Demo(options, dir);
    return demo.startAll()
        .map(v -> demo)
        .recover(err -> demo.close().transform(ignored -> Future.failedFuture(err)));
  }

  private Future<Void> startAll() {
    DemoTls tls = DemoTls.load();
    Path ca;
    try {
      ca = tls.writeTo(dir).caFile();
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
    fleet = new DemoFleet(fleetVertx, layout(), tls);
    return fleet
        .start()
        .compose(v -> DnsPair.start(fleetVertx, options.dnsPairPort(), dir))
        .compose(
            pair -> {
              dnsPair = pair;
              return startLinks();
            })
        .compose(
            urls -> {
              config = new DemoConfig(dir, options, ca);
              try {
                return startAgents(config.write(urls));
              } catch (io.quorate.config.ConfigException e) {
                return Future.failedFuture(
                    new IllegalStateException("the generated demo config is invalid: " + e, e));
              }
            });
  }

  private DemoFleet.Layout layout() {
    return DemoFleet.Layout.standard(
        options.webPort(),
        new DemoMailServer.Ports(options.smtpPort(), options.imapPort(), options.pop3Port()));
  }

  /** One proxy per directed link; returns, per region i, the URL it uses for region j. */
  private Future<List<List<String>>> startLinks() {
    List<String> regions = DemoOptions.REGIONS;
    List<Future<LinkProxy>> started = new ArrayList<>();
    for (int i = 0; i < regions.size(); i++) {
      for (int j = 0; j < regions.size(); j++) {
        if (i != j) {
          LinkProxy p = new LinkProxy(fleetVertx, "127.0.0.1", options.apiPort(j));
          links.put(regions.get(i) + ">" + regions.get(j), p);
          started.add(p.start());
        }
      }
    }
    return Future.all(started)
        .map(
            v -> {
              List<List<String>> urls = new ArrayList<>();
              for (int i = 0; i < regions.size(); i++) {
                List<String> row = new ArrayList<>();
                for (int j = 0; j < regions.size(); j++) {
                  LinkProxy p = links.get(regions.get(i) + ">" + regions.get(j));
                  row.add(p == null ? "" : "http://127.0.0.1:" + p.port());
                }
                urls.add(row);
              }
              return urls;
            });
  }

  private Future<Void> startAgents(List<LoadedConfig> configs) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < configs.size(); i++) {
      LoadedConfig cfg = configs.get(i);
      Vertx v = agentVertx.get(i);
      Agent agent = Agent.standard(v, cfg, Registries.prometheus());
      agent.mount("demo", auth -> new DemoResource(v, this, auth).router());
      agents.add(agent);
      chain = chain.compose(x -> agent.start()).mapEmpty();
    }
    return chain.onSuccess(
        x -> LOG.info("demo started regions={} dir={}", DemoOptions.REGIONS, dir));
  }

  public List<Agent> agents() {
    return List.copyOf(agents);
  }

  public DemoOptions options() {
    return options;
  }

  public DemoConfig config() {
    return config;
  }

  @Override
  public Future<JsonObject> state() {
    JsonArray members = new JsonArray();
    for (DemoFleet.Member m : fleet.members()) {
      members.add(
          new JsonObject()
              .put("id", m.id())
              .put("kind", m.kind().name().toLowerCase(java.util.Locale.ROOT))
              .put("address", m.host())
              .put("ports", new JsonArray(List.copyOf(m.ports().values())))
              .put("running", m.running()));
    }
    for (DnsPair.Server s : dnsPair.servers()) {
      members.add(
          new JsonObject()
              .put("id", s.id())
              .put("kind", "dns")
              .put("address", s.address())
              .put("ports", new JsonArray(List.of(s.port())))
              .put("running", s.running()));
    }
    JsonArray regions = new JsonArray();
    for (String r : DemoOptions.REGIONS) {
      regions.add(new JsonObject().put("id", r).put("isolated", isolated(r)));
    }
    return Future.succeededFuture(new JsonObject().put("members", members).put("regions", regions));
  }

  @Override
  public Future<JsonObject> member(String id, boolean run) {
    Future<Void> done;
    if (dnsPair.has(id)) {
      done = run ? dnsPair.start(id) : dnsPair.stop(id);
    } else if (fleet.members().stream().anyMatch(m -> m.id().equals(id))) {
      done = run ? fleet.start(id) : fleet.stop(id);
    } else {
      return Future.failedFuture(new NoSuchElementException("no sample server '" + id + "'"));
    }
    LOG.info("demo member={} action={}", id, run ? "start" : "stop");
    return done.compose(v -> state());
  }

  @Override
  public Future<JsonObject> region(String id, boolean isolate) {
    if (!DemoOptions.REGIONS.contains(id)) {
      return Future.failedFuture(new NoSuchElementException("no region '" + id + "'"));
    }
    links.forEach(
        (name, link) -> {
          String[] ends = name.split(">");
          if (ends[0].equals(id) || ends[1].equals(id)) {
            if (isolate) {
              link.cut();
            } else {
              link.heal();
            }
          }
        });
    LOG.info("demo region={} action={}", id, isolate ? "isolate" : "heal");
    return state();
  }

  /** Whether every mesh link of {@code region} is cut. */
  public boolean isolated(String region) {
    return links.entrySet().stream()
        .filter(e -> List.of(e.getKey().split(">")).contains(region))
        .allMatch(e -> e.getValue().isCut());
  }

  /** Stops the agents, then the fleet and the proxies. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    agentVertx.forEach(v -> closing.add(v.close()));
    return Future.join(closing).transform(x -> fleetVertx.close());
  }
}
