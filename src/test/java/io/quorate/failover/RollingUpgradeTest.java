package io.quorate.failover;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade procedure of docs/operations.md, one region at a time, with three real agents, three
 * real nginx members and BIND 9 as the primary: each region in turn is stopped gracefully
 * (SIGTERM's path, ADR 0016) and started again on the same data dir, as a new version would be, and
 * the next region waits until every region sees all three live and settled. Throughout, the other
 * two keep quorum, the RRset never changes, no UPDATE is written, no alert is delivered and no
 * verdict leaves UP. The same code plays the new version: what the test proves is the procedure,
 * not a format change between versions (ADR 0016 says what mixing versions does).
 */
@Timeout(240)
class RollingUpgradeTest {
  static final List<String> REGIONS = FailoverTest.REGIONS;
  static final Set<String> ALL = Set.of(FailoverTest.M1, FailoverTest.M2, FailoverTest.M3);

  @TempDir Path dir;
  final Closers closers = new Closers();
  final List<String> delivered = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    closers.close();
  }

  private <T extends AutoCloseable> T keep(T c) {
    return closers.keep(c);
  }

  @Test
  void everyRegionRestartedInTurnWithoutAFalseFailoverOrAlert() throws Exception {
    int dnsPort = keep(Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, ""))).port();
    List<NginxMember> members = FailoverTest.members(dir, closers::keep);
    Vertx client = Vertx.vertx();
    keep(client::close);
    int hook =
        await(
                client
                    .createHttpServer()
                    .requestHandler(
                        r ->
                            r.body()
                                .onSuccess(b -> delivered.add(b.toString()))
                                .onComplete(x -> r.response().setStatusCode(204).end()))
                    .listen(0, "127.0.0.1"))
            .actualPort();
    LocalCluster cluster =
        keep(
            LocalCluster.start(
                dir,
                REGIONS,
                GracefulHandoverTest.shared(dnsPort, members, hook),
                Map.of(
                    "TSIG", Bind9Lab.TSIG_SECRET, "HOOK", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                null));
    ApiPoll api = new ApiPoll(client, LocalCluster.TOKEN);
    for (String r : REGIONS) {
      awaitWhole(api, cluster, r);
    }
    // the watcher starts once the pool is settled: from here on, nothing may change
    ZoneWatcher watcher = keep(FailoverTest.watcher(dnsPort));
    int deliveredBefore = delivered.size();
    // the lab zone starts with a fourth address that is no member's: the first write removed it
    Map<String, Integer> writesBefore = new java.util.HashMap<>();
    for (String r : REGIONS) {
      writesBefore.put(r, FailoverTest.applied(api, cluster.port(r)).size());
    }

    List<String> log = new ArrayList<>();
    for (String upgraded : REGIONS) {
      long t0 = System.nanoTime();
      cluster.stopGracefully(upgraded, Duration.ofSeconds(10));
      long stopMs = ms(t0);
      for (String other : REGIONS) {
        if (!other.equals(upgraded)) {
          JsonObject gate = await(api.get(cluster.port(other), "/api/v1/regions"));
          assertTrue(
              gate.getBoolean("quorate"), other + " keeps quorum while " + upgraded + " is down");
        }
      }
      long t1 = System.nanoTime();
      cluster.restart(upgraded);
      for (String r : REGIONS) {
        awaitWhole(api, cluster, r);
      }
      log.add(upgraded + ": stopped in " + stopMs + " ms, whole again after " + ms(t1) + " ms");
    }
    System.out.println("rolling upgrade: " + log);

    watcher.close();
    assertEquals(List.of(ALL), watcher.history(), "the RRset never changed");
    assertEquals(List.of(), watcher.problems(), "the name was never empty");
    for (String r : REGIONS) {
      int port = cluster.port(r);
      List<JsonObject> writes = FailoverTest.applied(api, port);
      assertEquals(
          writes.subList(0, Math.min(writes.size(), writesBefore.get(r))),
          writes,
          r + ": no UPDATE written during the upgrade");
      for (JsonObject v : verdicts(api, port)) {
        assertEquals("UP", v.getString("state"), r + ": " + v.encode());
      }
    }
    assertEquals(
        List.of(),
        delivered.subList(deliveredBefore, delivered.size()),
        "no alert delivered during the upgrade");
  }

  /** Until {@code region} sees every region live, is quorate and settled, and its pool is NOOP. */
  private static void awaitWhole(ApiPoll api, LocalCluster cluster, String region)
      throws Exception {
    int port = cluster.port(region);
    await(
        api.until(
            port,
            "/api/v1/regions",
            Duration.ofSeconds(40),
            j ->
                j.getBoolean("quorate")
                    && j.getBoolean("settled")
                    && j.getJsonArray("regions").stream()
                        .map(JsonObject.class::cast)
                        .allMatch(x -> x.getBoolean("live"))));
    await(
        api.until(
            port,
            "/api/v1/pools/www",
            Duration.ofSeconds(40),
            j -> FailoverTest.actual(j).equals(ALL) && "NOOP".equals(j.getString("decision"))));
  }

  private static List<JsonObject> verdicts(ApiPoll api, int port) throws Exception {
    return await(api.get(port, "/api/v1/verdicts")).getJsonArray("verdicts").stream()
        .map(JsonObject.class::cast)
        .toList();
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
