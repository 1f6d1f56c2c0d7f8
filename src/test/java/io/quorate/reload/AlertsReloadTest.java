package io.quorate.reload;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.alert.Delivery;
import io.quorate.alert.Outbox;
import io.quorate.alert.OutboxEvent;
import io.quorate.alert.WebhookConsumer;
import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.Closers;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert channels and rules reloaded live (ADR 0017, amendment of 2026-11-23) on a real agent
 * probing a real nginx, delivering to a real webhook receiver: a reload adds a channel and a rule
 * and the next verdict alert is delivered there; a reload removes them, the delivery still pending
 * for that channel is dead-lettered ("channel removed by reload") and the receiver gets nothing
 * more.
 */
@Timeout(180)
class AlertsReloadTest {
  static final Duration LIMIT = Duration.ofSeconds(30);
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;
  final Closers closers = new Closers();
  final Vertx client = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    closers.close();
    await(client.close());
  }

  static String shared(int webPort, String alerts) {
    return "quorum: {heartbeatMs: 200, graceMs: 1000}\n"
        + "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 1, rise: 1}\n"
        + "targets:\n"
        + "  - {id: web-1, type: http, address: 127.0.0.1, port: "
        + webPort
        + ", http: {path: /health}}\n"
        + alerts;
  }

  static String hook(int hookPort) {
    return "alerts:\n  channels:\n"
        + "    - {id: hook, type: webhook, url: 'http://127.0.0.1:"
        + hookPort
        + "/hook', secrets: ['${env:HOOK}'], allowHosts: [127.0.0.1]}\n"
        + "  rules:\n    - {kinds: ['verdict.*'], channels: [hook]}\n";
  }

  @Test
  void aReloadedChannelReceivesTheNextAlertAndNothingOnceRemoved() throws Exception {
    WebhookConsumer receiver = await(WebhookConsumer.start(client));
    NginxMember web = closers.keep(NginxMember.start(dir.resolve("nginx")));
    String without = shared(web.port(), "");
    LocalCluster c =
        closers.keep(
            LocalCluster.start(dir, List.of("solo"), without, Map.of("HOOK", SECRET), null));
    ApiPoll api = new ApiPoll(client, LocalCluster.TOKEN);
    int port = c.port("solo");
    await(api.until(port, "/api/v1/verdicts", LIMIT, j -> state(j, "UP")));

    JsonObject added = reload(port, shared(web.port(), hook(receiver.port())));
    assertEquals(changes(List.of("hook"), List.of(), 0), added.getJsonObject("channels"));
    web.stop();
    WebhookConsumer.Received down =
        Poll.until(LIMIT, "verdict.down delivered", () -> last(receiver, 1), r -> r != null);
    assertEquals("verdict.down", down.json().getString("type"));
    String downId = down.headers().get("webhook-id");
    Poll.until(
        LIMIT,
        "recorded delivered",
        () -> delivery(c, downId),
        d -> is(d, Delivery.State.DELIVERED));

    // the next alert is refused with a long Retry-After: pending for this channel at the reload
    receiver.then(WebhookConsumer.Reply.withHeader(503, "Retry-After", "600"));
    web.start();
    WebhookConsumer.Received up =
        Poll.until(LIMIT, "verdict.up attempted", () -> last(receiver, 2), r -> r != null);
    String upId = up.headers().get("webhook-id");
    Poll.until(LIMIT, "503 recorded", () -> delivery(c, upId), d -> d != null && d.attempts() == 1);
    assertEquals(Delivery.State.PENDING, delivery(c, upId).state());

    JsonObject removed = reload(port, without);
    assertEquals(changes(List.of(), List.of("hook"), 0), removed.getJsonObject("channels"));
    Delivery dead = delivery(c, upId);
    assertEquals(Delivery.State.DEAD, dead.state(), "dead-lettered by the reload");
    assertEquals(Outbox.REMOVED_BY_RELOAD, dead.lastDetail());
    assertEquals(1, dead.attempts());

    web.stop();
    await(api.until(port, "/api/v1/verdicts", LIMIT, j -> state(j, "DOWN")));
    OutboxEvent again =
        Poll.until(
            LIMIT, "the next verdict.down stored", () -> newestDown(c, downId), e -> e != null);
    assertEquals(List.of(), again.deliveries(), "no rule routes it anywhere any more");
    assertEquals(2, receiver.received().size(), "nothing more reached the removed channel");
    assertEquals(Delivery.State.DELIVERED, delivery(c, downId).state());
  }

  static JsonObject changes(List<String> added, List<String> removed, int unchanged) {
    return new JsonObject()
        .put("added", new JsonArray(added))
        .put("changed", new JsonArray())
        .put("removed", new JsonArray(removed))
        .put("unchanged", unchanged);
  }

  JsonObject reload(int port, String body) throws Exception {
    Files.writeString(LocalCluster.sharedFile(dir), "regions: [solo]\n" + body);
    HttpResponse<Buffer> r =
        await(
            WebClient.create(client)
                .post(port, "127.0.0.1", "/api/v1/config/reload")
                .putHeader("Authorization", "Bearer " + LocalCluster.OPERATE_TOKEN)
                .send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static boolean state(JsonObject verdicts, String state) {
    JsonArray all = verdicts.getJsonArray("verdicts");
    return all.size() == 1 && state.equals(all.getJsonObject(0).getString("state"));
  }

  static WebhookConsumer.Received last(WebhookConsumer r, int count) {
    List<WebhookConsumer.Received> all = r.received();
    return all.size() == count ? all.get(count - 1) : null;
  }

  static Delivery delivery(LocalCluster c, String eventId) {
    try {
      OutboxEvent e = await(c.agent("solo").outbox().find(eventId));
      return e == null ? null : e.deliveries().get(0);
    } catch (Exception ex) {
      throw new AssertionError(ex);
    }
  }

  static boolean is(Delivery d, Delivery.State s) {
    return d != null && d.state() == s;
  }

  /** The newest stored verdict.down event other than {@code first}, or {@code null}. */
  static OutboxEvent newestDown(LocalCluster c, String first) {
    try {
      return await(c.agent("solo").outbox().recent(20)).stream()
          .filter(e -> e.event().kind().equals("verdict.down") && !e.event().id().equals(first))
          .findFirst()
          .orElse(null);
    } catch (Exception ex) {
      throw new AssertionError(ex);
    }
  }
}
