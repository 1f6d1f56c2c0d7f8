package io.quorate.failover;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.KnotLab;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.ZoneWatcher;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Type;

/**
 * The whole loop on loopback with real servers: three region agents (their own Vert.x instances,
 * signed mesh), three nginx members, and BIND 9 or Knot as the RFC 2136 primary with the lab's TSIG
 * key. A watcher polls the zone throughout: the round-robin name is never empty.
 */
class FailoverTest {
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");
  static final String M1 = "127.0.0.11";
  static final String M2 = "127.0.0.12";
  static final String M3 = "127.0.0.13";

  @TempDir Path dir;
  final List<AutoCloseable> closers = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closers.size() - 1; i >= 0; i--) {
      closers.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T c) {
    closers.add(c);
    return c;
  }

  static String shared(int dnsPort, List<NginxMember> members) {
    StringBuilder y = new StringBuilder();
    y.append("quorum: {heartbeatMs: 200, graceMs: 1000, standbyMs: 1500}\n")
        .append("defaults: {intervalMs: 1000, timeoutMs: 500, fall: 2, rise: 2}\n")
        .append("targets:\n");
    for (int i = 0; i < members.size(); i++) {
      y.append("  - {id: web-")
          .append(i + 1)
          .append(", type: http, address: 127.0.0.1, port: ")
          .append(members.get(i).port())
          .append(", http: {path: /health}}\n");
    }
    y.append("zones:\n")
        .append("  - zone: example.test\n")
        .append("    primary: 127.0.0.1:")
        .append(dnsPort)
        .append('\n')
        .append("    servers: ['127.0.0.1:")
        .append(dnsPort)
        .append("']\n")
        .append("    tsig: {name: lab-update, secret: '${env:TSIG}'}\n")
        .append("    propagationTimeoutMs: 5000\n")
        .append("pools:\n")
        .append("  - id: www\n    zone: example.test\n    name: rr.example.test\n    type: A\n")
        .append("    ttl: 30\n    holdDownMs: 2500\n    members:\n");
    String[] values = {M1, M2, M3};
    for (int i = 0; i < members.size(); i++) {
      y.append("      - {id: m")
          .append(i + 1)
          .append(", value: ")
          .append(values[i])
          .append(", target: web-")
          .append(i + 1)
          .append("}\n");
    }
    return y.toString();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bind", "knot"})
  void deadMemberLeavesRecoveredMemberReturnsAfterHoldDownAllDownFailsOpen(String server)
      throws Exception {
    String zoneText = Bind9Lab.exampleZone(1, "");
    int dnsPort =
        "bind".equals(server)
            ? keep(Bind9Lab.start("example.test", zoneText)).port()
            : keep(KnotLab.start("example.test", zoneText, List.of("rr"), List.of("A"))).port();
    List<NginxMember> members = members(dir, this::keep);
    ZoneWatcher watcher = keep(watcher(dnsPort));
    LocalCluster cluster =
        keep(
            LocalCluster.start(
                dir,
                REGIONS,
                shared(dnsPort, members),
                Map.of("TSIG", Bind9Lab.TSIG_SECRET),
                null));
    Vertx client = Vertx.vertx();
    closers.add(client::close);
    ApiPoll api = new ApiPoll(client, LocalCluster.TOKEN);
    int eu = cluster.port("eu-west");

    // converge: .14 (in the zone, no member) goes, the three healthy members stay
    await(
        api.until(
            eu,
            "/api/v1/pools/www",
            Duration.ofSeconds(40),
            j -> actual(j).equals(Set.of(M1, M2, M3)) && "NOOP".equals(j.getString("decision"))));

    // a member really down: removed
    Instant stopped = Instant.now();
    members.get(1).stop();
    await(
        api.until(
            eu,
            "/api/v1/pools/www",
            Duration.ofSeconds(20),
            j -> actual(j).equals(Set.of(M1, M3))));
    Duration removal = Duration.between(stopped, Instant.now());
    System.out.printf(
        "[%s] member down -> removed from DNS in %d ms%n", server, removal.toMillis());
    assertEquals(
        1, appliedAcross(api, cluster, Set.of(M1, M3)), "exactly one region wrote the removal");
    assertTimelineRecorded(api, cluster);
    String votes = latestAppliedVotes(api, cluster);
    assertTrue(votes.contains("web-2=DOWN"), votes);

    // recovered: back only after rise + hold-down
    members.get(1).start();
    JsonObject upAgain =
        await(
            api.until(
                eu,
                "/api/v1/verdicts/web-2",
                Duration.ofSeconds(15),
                j -> "UP".equals(j.getString("state"))));
    Instant upSince = Instant.parse(upAgain.getString("since"));
    await(
        api.until(
            eu,
            "/api/v1/pools/www",
            Duration.ofSeconds(20),
            j -> actual(j).equals(Set.of(M1, M2, M3))));
    List<Set<String>> h = watcher.history();
    assertTrue(h.contains(Set.of(M1, M3)), "the removal was visible in DNS: " + h);
    Instant readded = latestApplied(api, cluster, Set.of(M1, M2, M3));
    assertTrue(
        !readded.isBefore(upSince.plusMillis(2500)),
        "re-added at " + readded + ", hold-down from " + upSince);

    // every member down: fail open, the configured set is kept, never empty
    members.forEach(NginxMember::stop);
    await(
        api.until(
            eu,
            "/api/v1/verdicts?state=DOWN",
            Duration.ofSeconds(15),
            j -> j.getJsonArray("verdicts").size() == 3));
    // members leave one by one as their verdicts turn DOWN (the name may briefly serve one
    // record, never none); once all are DOWN the full set is restored: fail open
    await(
        api.until(
            eu,
            "/api/v1/pools/www",
            Duration.ofSeconds(15),
            j ->
                String.valueOf(j.getJsonArray("reasons")).contains("fail open")
                    && actual(j).equals(Set.of(M1, M2, M3))));
    watcher.close();
    assertEquals(List.of(), watcher.problems(), "the name was never empty");
    for (Set<String> seen : watcher.history()) {
      assertTrue(
          !seen.isEmpty() && Set.of(M1, M2, M3, "127.0.0.14").containsAll(seen),
          "only configured values ever served: " + seen);
    }
  }

  /** Three nginx members in {@code dir}, each handed to {@code keep} to be closed. */
  static List<NginxMember> members(Path dir, java.util.function.Consumer<AutoCloseable> keep) {
    List<NginxMember> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NginxMember m = NginxMember.start(dir.resolve("nginx-" + i));
      keep.accept(m);
      members.add(m);
    }
    return members;
  }

  /** A watcher of the pool's name for three minutes at most. */
  static ZoneWatcher watcher(int dnsPort) throws Exception {
    return new ZoneWatcher(dnsPort, "rr.example.test", Type.A, Duration.ofMinutes(3));
  }

  /** Some region's propagation entry carries the timeline vote -> verdict -> write -> served. */
  static void assertTimelineRecorded(ApiPoll api, LocalCluster cluster) throws Exception {
    boolean found = false;
    for (String r : cluster.regions()) {
      JsonArray entries =
          await(api.get(cluster.port(r), "/api/v1/audit?pool=www&limit=1000"))
              .getJsonArray("entries");
      for (Object o : entries) {
        JsonObject e = (JsonObject) o;
        if ("propagation".equals(e.getString("action")) && "ok".equals(e.getString("outcome"))) {
          JsonObject d = e.getJsonObject("details");
          Instant detected = Instant.parse(d.getString("detectedAt"));
          Instant verdict = Instant.parse(d.getString("verdictAt"));
          Instant written = Instant.parse(d.getString("writtenAt"));
          Instant propagated = Instant.parse(d.getString("propagatedAt"));
          assertTrue(
              !detected.isAfter(verdict)
                  && !verdict.isAfter(written)
                  && !written.isAfter(propagated),
              d.encode());
          found = true;
        }
      }
    }
    assertTrue(found, "a propagation entry with its timeline");
  }

  static String latestAppliedVotes(ApiPoll api, LocalCluster cluster) throws Exception {
    for (String r : cluster.regions()) {
      for (JsonObject e : applied(api, cluster.port(r))) {
        String votes = e.getJsonObject("details").getString("votes");
        if (votes != null && votes.contains("DOWN")) {
          return votes;
        }
      }
    }
    return "";
  }

  static Set<String> actual(JsonObject pool) {
    JsonObject a = pool.getJsonObject("actual");
    Set<String> out = new TreeSet<>();
    if (a != null) {
      a.getJsonArray("values").forEach(v -> out.add((String) v));
    }
    return out;
  }

  /** How many applied updates, across every region's audit, produced exactly {@code to}. */
  static int appliedAcross(ApiPoll api, LocalCluster cluster, Set<String> to) throws Exception {
    int n = 0;
    for (String r : cluster.regions()) {
      for (JsonObject e : applied(api, cluster.port(r))) {
        if (e.getJsonObject("details").getString("desired").equals(new TreeSet<>(to).toString())) {
          n++;
        }
      }
    }
    return n;
  }

  static Instant latestApplied(ApiPoll api, LocalCluster cluster, Set<String> to) throws Exception {
    Instant latest = Instant.MIN;
    for (String r : cluster.regions()) {
      for (JsonObject e : applied(api, cluster.port(r))) {
        if (e.getJsonObject("details").getString("desired").equals(new TreeSet<>(to).toString())) {
          Instant at = Instant.parse(e.getString("at"));
          latest = at.isAfter(latest) ? at : latest;
        }
      }
    }
    return latest;
  }

  static List<JsonObject> applied(ApiPoll api, int port) throws Exception {
    JsonArray entries =
        await(api.get(port, "/api/v1/audit?pool=www&limit=1000")).getJsonArray("entries");
    List<JsonObject> out = new ArrayList<>();
    for (Object o : entries) {
      JsonObject e = (JsonObject) o;
      if ("update".equals(e.getString("action")) && "applied".equals(e.getString("outcome"))) {
        out.add(e);
      }
    }
    return out;
  }
}
