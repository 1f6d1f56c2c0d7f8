package io.quorate.mesh;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.config.LoadedConfig;
import io.quorate.config.QuorateConfig;
import io.quorate.config.RegionConfig;
import io.quorate.config.Secret;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Vote;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One region agent for mesh tests: its own Vert.x instance, a {@link Mesh}, and an HTTP server on a
 * free loopback port that mounts the mesh router before a 64 KiB global body handler (as the
 * agent's API does). Records every remote vote it accepts.
 */
final class MeshNode {
  static final String HASH = "ab".repeat(32);
  static final QuorateConfig.Quorum QUORUM =
      new QuorateConfig.Quorum(2, 300, 5_000, 100, 1_000, List.of());
  static final MeshTuning TUNING = new MeshTuning(3, 1_000, 20, 200, 2, 100, 0, 0);

  final String region;
  final int port;
  final Clock clock;
  final Vertx vertx = Vertx.vertx();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Map<String, Vote> received = new ConcurrentHashMap<>();
  final Mesh mesh;
  private HttpServer server;

  /** Every node's port and key, by region, in rank order. */
  record Topology(Map<String, Integer> ports, Map<String, Secret> keys) {
    static Topology of(int[] ports, String... regions) {
      Map<String, Integer> p = new LinkedHashMap<>();
      Map<String, Secret> k = new LinkedHashMap<>();
      for (int i = 0; i < regions.length; i++) {
        p.put(regions[i], ports[i]);
        k.put(
            regions[i],
            new Secret("${env:K_" + i + "}", "mesh-key-" + regions[i] + "-0123456789abcdef"));
      }
      return new Topology(p, k);
    }
  }

  MeshNode(Topology topo, String region, Clock clock) {
    this(topo, region, clock, TUNING);
  }

  MeshNode(Topology topo, String region, Clock clock, MeshTuning tuning) {
    this.region = region;
    this.port = topo.ports().get(region);
    this.clock = clock;
    List<RegionConfig.Peer> peers = new ArrayList<>();
    topo.ports()
        .forEach(
            (r, p) -> {
              if (!r.equals(region)) {
                peers.add(new RegionConfig.Peer(r, "http://127.0.0.1:" + p, topo.keys().get(r)));
              }
            });
    List<String> regions = List.copyOf(topo.ports().keySet());
    QuorateConfig shared =
        new QuorateConfig(
            regions,
            QUORUM,
            QuorateConfig.Defaults.DEFAULT,
            List.of(),
            List.of(),
            List.of(),
            List.of());
    RegionConfig rc =
        new RegionConfig(
            region,
            new RegionConfig.Listen("127.0.0.1", port),
            Path.of("/nonexistent"),
            List.of(),
            RegionConfig.Scheduler.DEFAULT,
            new RegionConfig.Mesh(topo.keys().get(region), peers));
    this.mesh =
        new Mesh(
            vertx,
            new LoadedConfig(shared, rc, HASH),
            clock,
            new MeshMetrics(registry, region, clock),
            v ->
                received.merge(
                    v.region() + "/" + v.targetId(),
                    v,
                    (old, nu) -> nu.obsSeq() >= old.obsSeq() ? nu : old),
            r -> {},
            tuning);
  }

  Future<MeshNode> start() {
    return vertx.deployVerticle(mesh).compose(id -> listen()).map(this);
  }

  Future<Void> listen() {
    Router root = Router.router(vertx);
    root.route("/api/v1/mesh/*").subRouter(mesh.router());
    root.route().handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    root.route().handler(ctx -> ctx.fail(404));
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
    return server.requestHandler(root).listen().mapEmpty();
  }

  Future<Void> stopServer() {
    return server.close();
  }

  Future<Void> close() {
    return vertx.close();
  }

  Vote vote(String target, long obsSeq, Status status) {
    Outcome o = status == Status.DOWN ? Outcome.DOWN : Outcome.UP;
    return new Vote(
        region,
        target,
        status,
        clock.instant(),
        obsSeq,
        clock.instant(),
        o,
        null,
        "seen by " + region);
  }

  PeerStatus peer(String other) {
    return mesh.peers().stream().filter(p -> p.region().equals(other)).findFirst().orElseThrow();
  }

  double counter(String name, String peer) {
    var c = registry.find(name).tag("peer", peer).counter();
    return c == null ? 0 : c.count();
  }

  double maxBatch(String peer) {
    return registry.find("quorate.mesh.batch.votes").tag("peer", peer).summary().max();
  }

  /** Blocks the test thread until {@code cond} holds, checked by a Vert.x timer every 10 ms. */
  static void eventually(Vertx vertx, String what, Duration limit, BooleanSupplier cond)
      throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long deadline = System.nanoTime() + limit.toNanos();
    long id =
        vertx.setPeriodic(
            10,
            t -> {
              try {
                if (cond.getAsBoolean()) {
                  done.complete(null);
                } else if (System.nanoTime() > deadline) {
                  done.completeExceptionally(
                      new AssertionError("not within " + limit + ": " + what));
                }
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
              }
            });
    try {
      done.get(limit.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw unwrap(e);
    } finally {
      vertx.cancelTimer(id);
    }
  }

  /** Asserts {@code cond} at every 10 ms check for the whole of {@code d} (Vert.x timer). */
  static void holds(Vertx vertx, String what, Duration d, BooleanSupplier cond) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long end = System.nanoTime() + d.toNanos();
    long id =
        vertx.setPeriodic(
            10,
            t -> {
              if (!cond.getAsBoolean()) {
                done.completeExceptionally(new AssertionError("stopped holding: " + what));
              } else if (System.nanoTime() > end) {
                done.complete(null);
              }
            });
    try {
      done.get(d.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw unwrap(e);
    } finally {
      vertx.cancelTimer(id);
    }
  }

  private static Exception unwrap(java.util.concurrent.ExecutionException e) {
    if (e.getCause() instanceof AssertionError a) {
      throw a;
    }
    return e.getCause() instanceof Exception x ? x : e;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Clock offset(long ms) {
    return Clock.offset(Clock.systemUTC(), Duration.ofMillis(ms));
  }

  static Instant now() {
    return Instant.now();
  }
}
