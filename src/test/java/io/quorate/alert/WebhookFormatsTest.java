package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Alerts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Slack and PagerDuty bodies as the consumer received them (parsed JSON, exact shapes). */
@ExtendWith(VertxExtension.class)
class WebhookFormatsTest {
  private static final List<String> LOOPBACK = List.of("127.0.0.1");

  @Test
  void slackMessageHasTextBlocksAndNoSignature(Vertx vertx) {
    WebhookConsumer c = WebhookConsumer.start(vertx).await();
    var hook = AlertFixtures.webhook(c.url("/services/T0/B0/x"), Alerts.Format.SLACK, LOOPBACK);
    assertEquals(DeliveryResult.delivered(200), send(vertx, hook, AlertFixtures.down()));
    WebhookConsumer.Received got = c.received().get(0);
    assertNull(got.headers().get("webhook-signature"));
    JsonObject m = got.json();
    String headline = ":red_circle: *CRITICAL* web-2 DOWN in 3/3 regions — www.example.test";
    assertEquals(headline, m.getString("text"));
    assertEquals(false, m.getBoolean("unfurl_links"));
    JsonArray blocks = m.getJsonArray("blocks");
    assertEquals(3, blocks.size());
    assertEquals(headline, blocks.getJsonObject(0).getJsonObject("text").getString("text"));
    JsonArray fields = blocks.getJsonObject(1).getJsonArray("fields");
    assertEquals("*What*\nverdict.down", fields.getJsonObject(0).getString("text"));
    assertEquals("*Where*\nweb-2 (web)", fields.getJsonObject(1).getString("text"));
    assertEquals("*Region*\neu-west", fields.getJsonObject(2).getString("text"));
    assertEquals("*When*\n2026-11-21T10:15:30Z", fields.getJsonObject(3).getString("text"));
    assertEquals(
        "*reason*\nconnect: connection refused", fields.getJsonObject(4).getString("text"));
    assertEquals("*votes*\n3/3", fields.getJsonObject(5).getString("text"));
    assertEquals(
        "event evt_web-2_t7 · quorate",
        blocks.getJsonObject(2).getJsonArray("elements").getJsonObject(0).getString("text"));
  }

  @Test
  void slackTextCannotInjectLinksOrMentions() {
    AlertEvent e = AlertFixtures.down();
    AlertEvent hostile =
        new AlertEvent(
            e.id(),
            e.kind(),
            e.severity(),
            "<!channel>",
            null,
            "x <http://evil.example|click> & <!here>",
            Map.of("r", "<@U123>"),
            e.occurredAt(),
            e.region(),
            e.dedupKey(),
            false);
    String all = WebhookPayloads.slack(hostile).encode();
    assertFalse(all.contains("<"), all);
    assertTrue(all.contains("x &lt;http://evil.example|click&gt; &amp; &lt;!here&gt;"), all);
  }

  @Test
  void pagerDutyTriggerThenResolveShareTheDedupKey(Vertx vertx) {
    WebhookConsumer c = WebhookConsumer.start(vertx).await();
    var hook = AlertFixtures.webhook(c.url("/v2/enqueue"), Alerts.Format.PAGERDUTY, LOOPBACK);
    assertEquals(DeliveryResult.delivered(200), send(vertx, hook, AlertFixtures.down()));
    assertEquals(DeliveryResult.delivered(200), send(vertx, hook, AlertFixtures.up()));
    JsonObject trigger = c.received().get(0).json();
    JsonObject resolve = c.received().get(1).json();
    JsonObject expected =
        new JsonObject()
            .put("routing_key", "R0UTINGKEY0123456789abcdef012345")
            .put("event_action", "trigger")
            .put("dedup_key", "target:web-2")
            .put(
                "payload",
                new JsonObject()
                    .put("summary", "web-2 DOWN in 3/3 regions — www.example.test")
                    .put("source", "web-2")
                    .put("severity", "critical")
                    .put("timestamp", "2026-11-21T10:15:30Z")
                    .put("component", "web-2")
                    .put("class", "verdict.down")
                    .put(
                        "custom_details",
                        new JsonObject()
                            .put("eventId", "evt_web-2_t7")
                            .put("kind", "verdict.down")
                            .put("reason", "connect: connection refused")
                            .put("region", "eu-west")
                            .put("votes", "3/3"))
                    .put("group", "web"))
            .put("client", "Quorate");
    assertEquals(expected, trigger);
    assertEquals(
        new JsonObject()
            .put("routing_key", "R0UTINGKEY0123456789abcdef012345")
            .put("event_action", "resolve")
            .put("dedup_key", "target:web-2"),
        resolve);
    assertEquals("/v2/enqueue", c.received().get(1).uri());
    assertNull(c.received().get(1).headers().get("webhook-signature"));
  }

  @Test
  void pagerDutyBoundsItsFields() {
    AlertEvent e = AlertFixtures.down();
    AlertEvent longOne =
        new AlertEvent(
            e.id(),
            e.kind(),
            e.severity(),
            e.subject(),
            null,
            "s".repeat(5000),
            Map.of(),
            e.occurredAt(),
            null,
            "k".repeat(400),
            false);
    JsonObject pd = WebhookPayloads.pagerDuty(longOne, "key");
    assertEquals(255, pd.getString("dedup_key").length());
    assertEquals(1024, pd.getJsonObject("payload").getString("summary").length());
  }

  private static DeliveryResult send(Vertx vertx, Alerts.Webhook hook, AlertEvent e) {
    return WebhookSenderTest.send(vertx, hook, Clock.systemUTC(), e);
  }
}
