package io.quorate.failover;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.alert.OutboxEvent;
import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Closers;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.ZoneWatcher;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer handover on a graceful stop (ADR 0016), with three real agents, three nginx members and
 * BIND 9 as the primary: the rank-0 region stops; the other two drop it from their live set at once
 * (well before it would go stale), nothing else changes (no DNS write, no verdict change, no
 * alert), and a member killed afterwards is removed by the new rank 0 without a standby wait.
 */
@Timeout(180)
class GracefulHandoverTest {
  static final List<String> REGIONS = FailoverTest.REGIONS;
  static final long GRACE_MS = 4_000;
  static final long STANDBY_MS = 3_000;

  @TempDir Path dir;
  final Closers closers = new Closers();

  @AfterEach
  void closeAll() throws Exception {
    closers.close();
  }

  private <T extends AutoCloseable> T keep(T c) {
    return closers.keep(c);
  }

  static String shared(int dnsPort, List<NginxMember> members, int hook) {
    // a long grace makes a stale peer obvious: it would stay live 3 × 200 + 4000 ms
    return FailoverTest.shared(dnsPort, members)
            .replace(
                "quorum: {heartbeatMs: 200, graceMs: 1000, standbyMs: 1500}",
                "quorum: {heartbeatMs: 200, graceMs: "
                    + GRACE_MS
                    + ", standbyMs: "
                    + STANDBY_MS
                    + "}")
        + String.join(
            "\n",
            "alerts:",
            "  channels:",
            "    - {id: hook, type: webhook, url: 'http://127.0.0.1:" + hook + "/hook',",
            "       secrets: ['${env:HOOK}'], allowHosts: [127.0.0.1]}",
            "  rules:",
            "    - {channels: [hook]}",
            "");
  }

  @Test
  void rankZeroLeavesTheNextRankWritesAtOnceAndNothingElseChanges() throws Exception {
    int dnsPort = keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, ""))).port();
    List<NginxMember> members = FailoverTest.members(dir, closers::keep);
    Vertx client = Vertx.vertx();
    keep(client::close);
    int hook =
        await(
                client
                    .createHttpServer()
                    .requestHandler(r -> r.response().setStatusCode(204).end())
                    .listen(0, "127.0.0.1"))
            .actualPort();
    ZoneWatcher watcher = keep(FailoverTest.watcher(dnsPort));
    LocalCluster cluster =
        keep(
            LocalCluster.start(
                dir,
                REGIONS,
                shared(dnsPort, members, hook),
                Map.of(
                    "TSIG", Bind9Lab.TSIG_SECRET, "HOOK", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                null));
    ApiPoll api = new ApiPoll(client, LocalCluster.TOKEN);
    int us = cluster.port("us-east");
    int ap = cluster.port("ap-southeast");
    Set<String> all = Set.of(FailoverTest.M1, FailoverTest.M2, FailoverTest.M3);
    await(
        api.until(
            us,
            "/api/v1/pools/www",
            Duration.ofSeconds(40),
            j -> FailoverTest.actual(j).equals(all) && "NOOP".equals(j.getString("decision"))));
    await(
        api.until(
            us, "/api/v1/regions", Duration.ofSeconds(10), j -> j.getInteger("writerRank") == 1));
    JsonObject verdictsBefore = await(api.get(us, "/api/v1/verdicts"));
    int appliedBefore = applied(api, us, ap);
    Map<String, Set<String>> eventsBefore = events(cluster);
    int historyBefore = watcher.history().size();

    // graceful stop of the writer, as on SIGTERM
    long t0 = System.nanoTime();
    Thread stopper =
        new Thread(
            () -> {
              try {
                cluster.stopGracefully("eu-west", Duration.ofSeconds(10));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    stopper.start();
    await(
        api.until(us, "/api/v1/regions", Duration.ofSeconds(10), GracefulHandoverTest::euWestGone));
    long usMs = (System.nanoTime() - t0) / 1_000_000;
    await(
        api.until(ap, "/api/v1/regions", Duration.ofSeconds(10), GracefulHandoverTest::euWestGone));
    long apMs = (System.nanoTime() - t0) / 1_000_000;
    stopper.join(15_000);
    long peerFreshness = 3 * 200 + GRACE_MS;
    System.out.printf(
        "eu-west left: dropped by us-east in %d ms, by ap-southeast in %d ms (stale after %d ms)%n",
        usMs, apMs, peerFreshness);
    assertTrue(usMs < 1_500 && apMs < 1_500, "dropped at once: " + usMs + " / " + apMs + " ms");
    JsonObject usGate = await(api.get(us, "/api/v1/regions"));
    assertEquals(0, usGate.getInteger("writerRank"), "us-east is the writer now");
    assertTrue(usGate.getBoolean("quorate"));

    // nothing else changed: wait out the time a stale eu-west would have needed, then compare
    await(client.timer(peerFreshness + 500));
    assertEquals(verdicts(verdictsBefore), verdicts(await(api.get(us, "/api/v1/verdicts"))));
    assertEquals(appliedBefore, applied(api, us, ap), "no DNS write");
    assertEquals(historyBefore, watcher.history().size(), "DNS unchanged: " + watcher.history());
    assertEquals(eventsBefore, events(cluster), "no alert raised by the remaining regions");

    // a member really down afterwards: removed by the new rank 0 without the standby wait
    members.get(1).stop();
    await(
        api.until(
            us,
            "/api/v1/pools/www",
            Duration.ofSeconds(20),
            j -> FailoverTest.actual(j).equals(Set.of(FailoverTest.M1, FailoverTest.M3))));
    List<JsonObject> usWrites =
        FailoverTest.applied(api, us).stream()
            .filter(
                e ->
                    e.getJsonObject("details").getString("desired").contains(FailoverTest.M3)
                        && !e.getJsonObject("details")
                            .getString("desired")
                            .contains(FailoverTest.M2))
            .toList();
    assertEquals(1, usWrites.size(), "us-east wrote the removal");
    assertEquals(
        0,
        FailoverTest.applied(api, ap).stream()
            .filter(e -> !e.getJsonObject("details").getString("desired").contains(FailoverTest.M2))
            .count(),
        "ap-southeast did not");
    Instant downSince =
        Instant.parse(await(api.get(us, "/api/v1/verdicts/web-2")).getString("since"));
    long waited =
        Duration.between(downSince, Instant.parse(usWrites.get(0).getString("at"))).toMillis();
    assertTrue(waited < STANDBY_MS, "written " + waited + " ms after the verdict, no standby wait");
    watcher.close();
    assertEquals(List.of(), watcher.problems(), "the name was never empty");
  }

  /** Each verdict as {@code target=STATE@since}: any transition changes it. */
  private static List<String> verdicts(JsonObject list) {
    return list.getJsonArray("verdicts").stream()
        .map(JsonObject.class::cast)
        .map(v -> v.getString("targetId") + "=" + v.getString("state") + "@" + v.getString("since"))
        .toList();
  }

  /** Applied updates in the remaining regions' audit logs. */
  private static int applied(ApiPoll api, int... ports) throws Exception {
    int n = 0;
    for (int port : ports) {
      n += FailoverTest.applied(api, port).size();
    }
    return n;
  }

  private static boolean euWestGone(JsonObject regions) {
    return regions.getJsonArray("regions").stream()
        .map(JsonObject.class::cast)
        .anyMatch(
            r ->
                r.getString("region").equals("eu-west")
                    && !r.getBoolean("live")
                    && r.getString("leftAt") != null);
  }

  /** Every remaining region's outbox event ids. */
  private static Map<String, Set<String>> events(LocalCluster cluster) throws Exception {
    Map<String, Set<String>> out = new java.util.TreeMap<>();
    for (String r : List.of("us-east", "ap-southeast")) {
      List<OutboxEvent> recent = await(cluster.agent(r).outbox().recent(1000));
      out.put(
          r,
          recent.stream()
              .map(e -> e.event().id() + " " + e.event().kind())
              .collect(Collectors.toCollection(java.util.TreeSet::new)));
    }
    return out;
  }
}
