package io.quorate.demo;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.config.ConfigLoader;
import io.quorate.config.DnsZone;
import io.quorate.config.QuorateConfig;
import io.quorate.dns.auth.AuthMetrics;
import io.quorate.dns.auth.AuthoritativeServer;
import io.quorate.dns.auth.ZoneStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample fleet's DNS server pair ({@code dns-1}, {@code dns-2}), authoritative for {@code
 * corp.demo.test}, which {@code demo.test} delegates to them. Both are Quorate's own authoritative
 * server answering from one zone store, so they agree until one is stopped.
 */
final class DnsPair {
  static final String ZONE =
      String.join(
          "\n",
          "regions: [pair]",
          "targets: []",
          "zones:",
          "  - zone: corp.demo.test",
          "    provider: embedded",
          "    embedded:",
          "      soa: {mname: ns1.corp.demo.test, rname: hostmaster.corp.demo.test, minimum: 5}",
          "      nameServers: [ns1.corp.demo.test, ns2.corp.demo.test]",
          "      records:",
          "        - {name: ns1.corp.demo.test, type: A, value: 127.0.0.41}",
          "        - {name: ns2.corp.demo.test, type: A, value: 127.0.0.42}",
          "        - {name: www.corp.demo.test, type: A, value: 127.0.0.21}",
          "");

  /** One server of the pair. */
  final class Server {
    private final String id;
    private final String address;
    private String deployment;

    Server(String id, String address) {
      this.id = id;
      this.address = address;
    }

    String id() {
      return id;
    }

    String address() {
      return address;
    }

    int port() {
      return port;
    }

    boolean running() {
      return deployment != null;
    }

    Future<Void> start() {
      if (deployment != null) {
        return Future.succeededFuture();
      }
      AuthoritativeServer s = new AuthoritativeServer(address, port, store, zones, metrics, clock);
      return vertx.deployVerticle(s).onSuccess(d -> deployment = d).mapEmpty();
    }

    Future<Void> stop() {
      if (deployment == null) {
        return Future.succeededFuture();
      }
      String d = deployment;
      deployment = null;
      return vertx.undeploy(d);
    }
  }

  private final Vertx vertx;
  private final int port;
  private final Clock clock = Clock.systemUTC();
  private final ZoneStore store;
  private final List<DnsZone> zones;
  private final AuthMetrics metrics;
  private final List<Server> servers = new ArrayList<>();

  private DnsPair(Vertx vertx, int port, QuorateConfig config) {
    this.vertx = vertx;
    this.port = port;
    this.store = new ZoneStore(config, clock);
    this.zones = config.zones();
    this.metrics = new AuthMetrics(new SimpleMeterRegistry(), java.util.Set.of("corp.demo.test"));
    for (int i = 0; i < DemoOptions.DNS_PAIR_ADDRESSES.size(); i++) {
      servers.add(new Server("dns-" + (i + 1), DemoOptions.DNS_PAIR_ADDRESSES.get(i)));
    }
  }

  static Future<DnsPair> start(Vertx vertx, int port, Path dir) {
    QuorateConfig config;
    try {
      config =
          new ConfigLoader(System::getenv).parseShared(ZONE, dir.resolve("pair.yaml").toString());
    } catch (io.quorate.config.ConfigException e) {
      return Future.failedFuture(new IllegalStateException("demo DNS pair config: " + e, e));
    }
    DnsPair pair = new DnsPair(vertx, port, config);
    List<Future<Void>> started = new ArrayList<>();
    pair.servers.forEach(s -> started.add(s.start()));
    return Future.all(started).map(v -> pair);
  }

  List<Server> servers() {
    return List.copyOf(servers);
  }

  boolean has(String id) {
    return servers.stream().anyMatch(s -> s.id().equals(id));
  }

  Future<Void> start(String id) {
    return find(id).start();
  }

  Future<Void> stop(String id) {
    return find(id).stop();
  }

  private Server find(String id) {
    return servers.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }
}
