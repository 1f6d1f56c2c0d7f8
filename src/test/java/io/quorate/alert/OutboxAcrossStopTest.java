package io.quorate.alert;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivery still pending when the agent stops gracefully stays in the store and is delivered by
 * the next start against the same data dir (ADR 0011, ADR 0016).
 */
@Timeout(120)
class OutboxAcrossStopTest {
  @TempDir Path dir;
  final Vertx consumer = Vertx.vertx();
  final List<String> refused = new CopyOnWriteArrayList<>();
  final List<String> accepted = new CopyOnWriteArrayList<>();
  volatile boolean up;
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
    await(consumer.close());
  }

  @Test
  void aPendingDeliveryIsSentAfterTheRestart() throws Exception {
    int hook =
        await(
                consumer
                    .createHttpServer()
                    .requestHandler(
                        req -> {
                          String id = req.getHeader("webhook-id");
                          if (up) {
                            accepted.add(id);
                            req.response().setStatusCode(204).end();
                          } else {
                            refused.add(id);
                            req.response().setStatusCode(503).end();
                          }
                        })
                    .listen(0, "127.0.0.1"))
            .actualPort();
    web = NginxMember.start(dir.resolve("nginx"));
    String shared =
        String.join(
            "\n",
            "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 2, rise: 2}",
            "targets:",
            "  - {id: web-1, type: http, address: 127.0.0.1, port: "
                + web.port()
                + ", http: {path: /health}}",
            "alerts:",
            "  channels:",
            "    - {id: hook, type: webhook, url: 'http://127.0.0.1:" + hook + "/hook',",
            "       secrets: ['${env:HOOK}'], allowHosts: [127.0.0.1]}",
            "  rules:",
            "    - {kinds: ['verdict.*'], channels: [hook]}",
            "");
    cluster =
        LocalCluster.start(
            dir,
            List.of("eu-west"),
            shared,
            Map.of("HOOK", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            null);
    web.stop();
    String id =
        Poll.until(
                Duration.ofSeconds(30), "the alert refused once", () -> refused, l -> !l.isEmpty())
            .get(0);
    assertEquals("pending", state(id), "refused with 503: pending, retried later");

    cluster.stopGracefully("eu-west", Duration.ofSeconds(10));
    up = true;
    int before = refused.size();

    cluster.restart("eu-west");
    Poll.until(
        Duration.ofSeconds(30), "delivered after the restart", () -> accepted, l -> l.contains(id));
    Poll.until(Duration.ofSeconds(10), "marked delivered", () -> state(id), "delivered"::equals);
    System.out.printf("refused before the stop: %d; delivered after the restart: %s%n", before, id);
  }

  private String state(String id) {
    try {
      OutboxEvent e = await(cluster.agent("eu-west").outbox().find(id));
      return e == null
          ? ""
          : e.deliveries().stream()
              .filter(d -> d.channelId().equals("hook"))
              .map(d -> d.state().wireName())
              .findFirst()
              .orElse("");
    } catch (Exception ex) {
      return "";
    }
  }
}
