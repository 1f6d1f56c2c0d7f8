package io.quorate.alert;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.testsupport.Closers;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  final Closers closers = new Closers();
  final Vertx consumer = Vertx.vertx();
  WebhookConsumer hook;
  LocalCluster cluster;

  @AfterEach
  void close() throws Exception {
    closers.close();
    await(consumer.close());
  }

  @Test
  void aPendingDeliveryIsSentAfterTheRestart() throws Exception {
    WebhookConsumer.Reply[] busy = new WebhookConsumer.Reply[100];
    java.util.Arrays.fill(busy, WebhookConsumer.Reply.status(503));
    hook = await(WebhookConsumer.start(consumer, busy));
    NginxMember web = closers.keep(NginxMember.start(dir.resolve("nginx")));
    String shared = AlertFixtures.webAndHook(web.port(), hook.port(), "");
    cluster =
        closers.keep(
            LocalCluster.start(
                dir,
                List.of("eu-west"),
                shared,
                Map.of("HOOK", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                null));
    web.stop();
    String id =
        Poll.until(Duration.ofSeconds(30), "the alert refused once", this::ids, l -> !l.isEmpty())
            .get(0);
    assertEquals("pending", state(id), "refused with 503: pending, retried later");

    cluster.stopGracefully("eu-west", Duration.ofSeconds(10));
    int before = ids().size();
    hook.answerOk();

    cluster.restart("eu-west");
    Poll.until(
        Duration.ofSeconds(30),
        "delivered after the restart",
        () -> ids().subList(before, ids().size()),
        l -> l.contains(id));
    Poll.until(Duration.ofSeconds(10), "marked delivered", () -> state(id), "delivered"::equals);
    System.out.printf("refused before the stop: %d; delivered after the restart: %s%n", before, id);
  }

  /** The event id of every request the consumer received, in order. */
  private List<String> ids() {
    return hook.received().stream().map(r -> r.headers().get("webhook-id")).toList();
  }

  private String state(String id) {
    return AlertFixtures.hookState(cluster.agent("eu-west"), id);
  }
}
