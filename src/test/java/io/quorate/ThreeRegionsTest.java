package io.quorate;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.cli.RunCommand;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.metrics.Registries;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeRegistry;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.probe.http.HttpProbe;
import io.quorate.probe.tls.TlsVerifier;
import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.NginxLab;
import io.quorate.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three region agents on loopback, each its own Vert.x instance, exchanging signed votes over the
 * real mesh, probing a real nginx: they agree on UP; one region's path to the target failing
 * changes no verdict (that region dissents); nginx stopped is DOWN by quorum everywhere.
 *
 * <p>The per-region path failure is injected in-process here (one region's http probe answers
 * "refused"); the network-namespace fault suite cuts real paths.
 */
class ThreeRegionsTest {
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");
  static final String TOKEN = "three-regions-read-token-0123";

  @TempDir Path dir;
  final List<Vertx> vertxes = new ArrayList<>();
  NginxLab nginx;

  /** Wraps the real http probe; while {@code blocked}, this region "cannot reach" the target. */
  record PathFault(Probe real, AtomicBoolean blocked) implements Probe {
    @Override
    public ProbeType type() {
      return ProbeType.HTTP;
    }

    @Override
    public Future<ProbeResult> run(Target t) {
      if (blocked.get()) {
        return Future.succeededFuture(
            ProbeResult.down(
                t.id(),
                ErrorKind.REFUSED,
                "connection refused (injected)",
                java.time.Instant.now(),
                Timings.total(0.1)));
      }
      return real.run(t);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Vertx v : vertxes) {
      await(v.close());
    }
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  void regionsAgreeAMinorityCannotFlipAndAQuorumDetectsAnOutage() throws Exception {
    nginx = NginxLab.start(dir.resolve("nginx"));
    Map<String, Integer> ports = new HashMap<>();
    Map<String, String> env = new HashMap<>(Map.of("T", TOKEN));
    for (String r : REGIONS) {
      ports.put(r, Ports.free());
      env.put("K_" + r.replace('-', '_').toUpperCase(), "mesh-key-" + r + "-0123456789abcdefghij");
    }
    Path shared = dir.resolve("quorate.yaml");
    Files.writeString(
        shared,
        String.join(
            "\n",
            "regions: [eu-west, us-east, ap-southeast]",
            "quorum: {heartbeatMs: 200, graceMs: 1000}",
            "targets:",
            "  - id: web",
            "    type: http",
            "    address: 127.0.0.1",
            "    port: " + nginx.httpPort(),
            "    intervalMs: 1000",
            "    timeoutMs: 500",
            "    http: {path: /health, expectStatus: [200]}",
            ""));
    AtomicBoolean apBlocked = new AtomicBoolean(false);
    Vertx client = Vertx.vertx();
    vertxes.add(client);
    ApiPoll api = new ApiPoll(client, TOKEN);
    for (String r : REGIONS) {
      Path file = dir.resolve(r + ".yaml");
      StringBuilder y =
          new StringBuilder(
              "region: "
                  + r
                  + "\nlisten: {host: 127.0.0.1, port: "
                  + ports.get(r)
                  + "}\ndataDir: data-"
                  + r
                  + "\ntokens: [{name: t, token: '${env:T}', scopes: [read]}]\nmesh:\n  key: '${env:K_"
                  + r.replace('-', '_').toUpperCase()
                  + "}'\n  peers:\n");
      for (String o : REGIONS) {
        if (!o.equals(r)) {
          y.append("    - {region: ")
              .append(o)
              .append(", url: 'http://127.0.0.1:")
              .append(ports.get(o))
              .append("', key: '${env:K_")
              .append(o.replace('-', '_').toUpperCase())
              .append("}'}\n");
        }
      }
      Files.writeString(file, y);
      LoadedConfig cfg = new ConfigLoader(env::get).load(shared, file);
      PrometheusMeterRegistry registry = Registries.prometheus();
      Vertx vertx = RunCommand.newVertx(registry);
      vertxes.add(vertx);
      Clock clock = Clock.systemUTC();
      ProbeContext ctx = new ProbeContext(vertx, clock, new TlsVerifier(clock));
      Probe http =
          new PathFault(
              new HttpProbe(ctx), r.equals("ap-southeast") ? apBlocked : new AtomicBoolean(false));
      await(new Agent(vertx, cfg, registry, clock, new ProbeRegistry(List.of(http))).start());
    }

    // 1. all three agree on UP, with three fresh UP votes, and every agent is quorate
    for (String r : REGIONS) {
      JsonObject v =
          await(
              api.until(
                  ports.get(r),
                  "/api/v1/verdicts/web",
                  Duration.ofSeconds(30),
                  j ->
                      "UP".equals(j.getString("state"))
                          && j.getJsonObject("counts").getInteger("up") == 3));
      assertEquals(2, v.getJsonObject("rule").getInteger("quorum"));
      assertTrue(v.getLong("detectionBoundMs") > 0);
      JsonObject regions =
          await(
              api.until(
                  ports.get(r),
                  "/api/v1/regions",
                  Duration.ofSeconds(10),
                  j -> j.getBoolean("quorate")));
      assertEquals(REGIONS.indexOf(r), regions.getInteger("writerRank"), r + " rank");
    }
    long transition =
        await(api.get(ports.get("eu-west"), "/api/v1/verdicts/web")).getLong("transition");

    // 2. ap-southeast's path fails: its vote goes DOWN, the verdict stays UP everywhere
    apBlocked.set(true);
    await(
        api.until(
            ports.get("eu-west"),
            "/api/v1/verdicts/web",
            Duration.ofSeconds(15),
            j -> voteOf(j, "ap-southeast").equals("DOWN")));
    for (String r : REGIONS) {
      await(
          api.during(
              ports.get(r),
              "/api/v1/verdicts/web",
              Duration.ofSeconds(3),
              j -> "UP".equals(j.getString("state")) && j.getLong("transition") == transition));
    }
    JsonObject view = await(api.get(ports.get("us-east"), "/api/v1/regions"));
    assertEquals(new JsonArray().add("web"), region(view, "ap-southeast").getJsonArray("dissent"));
    assertEquals(new JsonArray(), region(view, "eu-west").getJsonArray("dissent"));
    apBlocked.set(false);

    // 3. nginx really stops: DOWN by quorum in every region
    nginx.close();
    nginx = null;
    for (String r : REGIONS) {
      JsonObject v =
          await(
              api.until(
                  ports.get(r),
                  "/api/v1/verdicts/web",
                  Duration.ofSeconds(20),
                  j -> "DOWN".equals(j.getString("state"))));
      assertTrue(v.getJsonObject("counts").getInteger("down") >= 2, v.encode());
      assertEquals(
          "refused",
          v.getJsonArray("votes").getJsonObject(REGIONS.indexOf(r)).getString("errorKind"));
    }
    JsonObject list = await(api.get(ports.get("eu-west"), "/api/v1/verdicts?state=DOWN"));
    assertEquals(1, list.getJsonArray("verdicts").size());
  }

  static String voteOf(JsonObject verdict, String region) {
    for (Object o : verdict.getJsonArray("votes")) {
      JsonObject v = (JsonObject) o;
      if (region.equals(v.getString("region"))) {
        return String.valueOf(v.getString("vote"));
      }
    }
    return "none";
  }

  static JsonObject region(JsonObject regions, String id) {
    for (Object o : regions.getJsonArray("regions")) {
      if (id.equals(((JsonObject) o).getString("region"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no region " + id);
  }
}
