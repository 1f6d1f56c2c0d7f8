package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One logical alert across three regions (issue 6): a real nginx member goes DOWN → the webhook
 * consumer gets the event once, sent by the writer-rank-0 region, and the standbys skip it on the
 * mesh receipt; then rank 0 hangs mid-delivery and is killed → the next region delivers the same
 * event id, and the third does not.
 */
@Timeout(180)
class AlertsThreeRegionsTest {
  static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;
  final Vertx consumerVertx = Vertx.vertx();
  final List<JsonObject> answered = new CopyOnWriteArrayList<>();
  final List<JsonObject> hung = new CopyOnWriteArrayList<>();
  volatile String hangFor = "";
  LocalCluster cluster;
  NginxMember web;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (web != null) {
      web.close();
    }
    ApiPoll.await(consumerVertx.close());
  }

  private int startConsumer() throws Exception {
    HttpServer server =
        consumerVertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              JsonObject e = body.toJsonObject();
                              e.put("webhookId", req.getHeader("webhook-id"));
                              if (hangFor.equals(e.getString("region"))) {
                                hung.add(e); // never answered: the sender's attempt hangs
                              } else {
                                answered.add(e);
                                req.response().setStatusCode(204).end();
                              }
                            }));
    return ApiPoll.await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private List<JsonObject> answered(String type) {
    return answered.stream().filter(e -> type.equals(e.getString("type"))).toList();
  }

  @Test
  void oneLogicalAlertAndTheNextRegionDeliversWhenTheSenderDies() throws Exception {
    int hook = startConsumer();
    web = NginxMember.start(dir.resolve("nginx"));
    String shared =
        "quorum: {heartbeatMs: 200, graceMs: 1000, standbyMs: 1500}\n"
            + AlertFixtures.webAndHook(web.port(), hook, ", timeoutMs: 60000");
    cluster = LocalCluster.start(dir, REGIONS, shared, Map.of("HOOK", SECRET), null);

    web.stop();
    List<JsonObject> down =
        Poll.until(
            Duration.ofSeconds(30),
            "verdict.down delivered",
            () -> answered("verdict.down"),
            l -> !l.isEmpty());
    String id = down.get(0).getString("id");
    assertEquals(id, down.get(0).getString("webhookId"));
    assertEquals("eu-west", down.get(0).getString("region"), "writer rank 0 sends");
    // every region raised it with the same id; rank 1 and 2 skip it on eu-west's receipt
    Poll.until(
        Duration.ofSeconds(20),
        "every region holds the event",
        () -> REGIONS.stream().filter(r -> hasEvent(r, id)).count(),
        n -> n == 3);
    Poll.until(
        Duration.ofSeconds(20),
        "the standbys closed it as delivered elsewhere",
        () ->
            REGIONS.stream()
                .skip(1)
                .filter(r -> state(r, id).equals("delivered-elsewhere"))
                .count(),
        n -> n == 2);
    assertEquals(1, answered("verdict.down").size(), "one delivery of one logical alert");

    hangFor = "eu-west";
    web.start();
    JsonObject stuck =
        Poll.until(
                Duration.ofSeconds(30),
                "eu-west's recovery attempt hangs",
                () -> hung,
                l -> !l.isEmpty())
            .get(0);
    assertEquals("verdict.up", stuck.getString("type"));
    cluster.kill("eu-west");
    List<JsonObject> up =
        Poll.until(
            Duration.ofSeconds(30),
            "the next region delivers",
            () -> answered("verdict.up"),
            l -> !l.isEmpty());
    assertEquals("us-east", up.get(0).getString("region"));
    assertEquals(stuck.getString("id"), up.get(0).getString("id"), "the same logical alert");
    Poll.until(
        Duration.ofSeconds(20),
        "ap-southeast skipped it on us-east's receipt",
        () -> state("ap-southeast", stuck.getString("id")),
        s -> s.equals("delivered-elsewhere"));
    assertEquals(
        List.of("us-east"),
        answered("verdict.up").stream()
            .map(e -> e.getString("region"))
            .collect(Collectors.toList()));
  }

  private boolean hasEvent(String region, String id) {
    return !state(region, id).isEmpty();
  }

  /** The hook delivery's state of event {@code id} in a region's outbox, or "". */
  private String state(String region, String id) {
    return AlertFixtures.hookState(cluster.agent(region), id);
  }
}
