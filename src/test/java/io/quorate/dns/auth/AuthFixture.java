package io.quorate.dns.auth;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.config.ConfigLoader;
import io.quorate.config.DnsZone;
import io.quorate.config.QuorateConfig;
import io.quorate.testsupport.Bind9Lab;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AuthoritativeServer} on 127.0.0.1 and a free port, deployed on a test's Vert.x, serving
 * two embedded zones loaded from YAML through the real config loader: {@code demo.test} (TSIG key
 * {@code lab-update} = {@link Bind9Lab}'s, so a BIND secondary can transfer it; answer kinds of
 * every sort) and {@code rrl.test} (no key; rate limit 5/s, slip 2).
 */
final class AuthFixture implements AutoCloseable {
  static final String ZONE = "demo.test";
  static final String RRL_ZONE = "rrl.test";

  final Vertx vertx;
  final QuorateConfig config;
  final ZoneStore store;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AuthoritativeServer server;
  private final String deployment;

  private AuthFixture(Vertx vertx, QuorateConfig config, Clock clock, AuthoritativeServer.Limits l)
      throws Exception {
    this.vertx = vertx;
    this.config = config;
    this.store = new ZoneStore(config, clock);
    List<DnsZone> zones = config.zones().stream().filter(DnsZone::isEmbedded).toList();
    AuthMetrics metrics =
        new AuthMetrics(registry, Set.copyOf(zones.stream().map(DnsZone::zone).toList()));
    this.server = new AuthoritativeServer("127.0.0.1", 0, store, zones, metrics, clock, l);
    this.deployment =
        vertx
            .deployVerticle(server)
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  /** Starts a server; {@code notify} lists {@code host:port} of demo.test's secondaries. */
  static AuthFixture start(
      Vertx vertx, Clock clock, AuthoritativeServer.Limits limits, List<String> notify)
      throws Exception {
    Path dir = Files.createTempDirectory("authfixture");
    Path key = dir.resolve("xfr.key");
    Files.writeString(key, Bind9Lab.TSIG_SECRET + "\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path yaml = dir.resolve("quorate.yaml");
    Files.writeString(yaml, yaml(key, notify));
    QuorateConfig config = new ConfigLoader(System::getenv).load(yaml, null).shared();
    return new AuthFixture(vertx, config, clock, limits);
  }

  int port() {
    return server.actualPort();
  }

  DnsZone zone(String name) {
    return config.zones().stream().filter(z -> z.zone().equals(name)).findFirst().orElseThrow();
  }

  /** The value of a counter, 0 when it was never incremented. */
  double count(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() throws Exception {
    vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static String yaml(Path key, List<String> notify) {
    List<String> records = new ArrayList<>();
    records.add(rec("ns1", "A", "127.0.0.1"));
    records.add(rec("www", "A", "127.0.0.10"));
    records.add(rec("www", "AAAA", "::1"));
    records.add(rec("alias", "CNAME", "www.demo.test."));
    records.add(rec("chain", "CNAME", "alias.demo.test."));
    records.add(rec("away", "CNAME", "www.example.org."));
    records.add(rec("dangling", "CNAME", "nothing.demo.test."));
    records.add(rec("loop1", "CNAME", "loop2.demo.test."));
    records.add(rec("loop2", "CNAME", "loop1.demo.test."));
    records.add(rec("host.ent", "A", "127.0.0.20"));
    records.add(rec("sub", "NS", "ns.sub.demo.test."));
    records.add(rec("ns.sub", "A", "127.0.0.53"));
    records.add(rec("*.wild", "A", "127.0.0.77")); // RFC 4592 wildcards
    records.add(rec("*.wild", "TXT", "\\\"wild\\\""));
    records.add(rec("explicit.wild", "A", "127.0.0.78"));
    records.add(rec("*.cn", "CNAME", "www.demo.test."));
    for (int i = 1; i <= 40; i++) {
      records.add(rec("big", "A", "127.0.1." + i));
    }
    for (int i = 1; i <= 60; i++) {
      records.add(rec("huge", "TXT", "\\\"" + "x".repeat(40) + "-" + i + "\\\""));
    }
    for (int i = 1; i <= 300; i++) { // about 20 kB: an AXFR of several messages
      // BIND 9.18 refuses RRsets of more than 100 records (max-records-per-type)
      records.add(rec("bulk" + (i % 3), "TXT", "\\\"" + "y".repeat(48) + "-" + i + "\\\""));
    }
    String notifyList = String.join(", ", notify.stream().map(s -> "\"" + s + "\"").toList());
    return """
        regions: [a]
        targets: []
        zones:
          - zone: demo.test
            provider: embedded
            tsig: {name: %s, secret: "${file:%s}"}
            embedded:
              soa: {mname: ns1.demo.test, rname: hostmaster.demo.test, ttl: 300, minimum: 60}
              nameServers: [ns1.demo.test]
              notify: [%s]
              records:
        %s
          - zone: rrl.test
            provider: embedded
            embedded:
              soa: {mname: ns1.rrl.test, rname: hostmaster.rrl.test}
              nameServers: [ns1.rrl.test]
              records:
                - {name: ns1.rrl.test, type: A, value: 127.0.0.1}
              rrl: {responsesPerSecond: 5, slip: 2}
        """
        .formatted(Bind9Lab.TSIG_KEY_NAME, key, notifyList, String.join("\n", records));
  }

  private static String rec(String label, String type, String value) {
    return "            - {name: \""
        + label
        + ".demo.test\", type: "
        + type
        + ", value: \""
        + value
        + "\"}";
  }
}
