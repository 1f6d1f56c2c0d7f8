package io.quorate.alert;

import static io.quorate.alert.WebhookConsumer.Reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.alert.DeliveryResult.Outcome;
import io.quorate.config.Alerts;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real {@link WebhookSender} against a scripted consumer on loopback: signatures checked by an
 * independent verifier, and every failure class the outbox must tell apart. Each channel allows
 * 127.0.0.1 (the SSRF guard refuses it otherwise; see {@link WebhookSsrfTest}); connect timeout
 * 1000 ms, whole-request timeout 1500 ms.
 */
@ExtendWith(VertxExtension.class)
class WebhookSenderTest {
  private static final List<String> LOOPBACK = List.of("127.0.0.1");
  private static final long SLACK_MS = 700;

  @Test
  void signedDeliveryVerifiesWithEitherRotatedSecret(Vertx vertx) {
    WebhookConsumer c = WebhookConsumer.start(vertx).await();
    var hook =
        AlertFixtures.signed(
            c.url("/hooks/quorate?team=ops"),
            List.of(
                AlertFixtures.secret(AlertFixtures.SECRET_NEW),
                AlertFixtures.secret(AlertFixtures.SECRET_OLD)));
    DeliveryResult r = send(vertx, hook, Clock.systemUTC(), AlertFixtures.down());
    assertEquals(DeliveryResult.delivered(200), r);
    WebhookConsumer.Received got = c.received().get(0);
    assertEquals("POST", got.method());
    assertEquals("/hooks/quorate?team=ops", got.uri());
    assertEquals("application/json", got.headers().get("content-type"));
    assertEquals("evt_web-2_t7", got.headers().get("webhook-id"));
    assertEquals(2, got.headers().get("webhook-signature").split(" ").length);
    long now = Instant.now().getEpochSecond();
    for (String secret : List.of(AlertFixtures.SECRET_NEW, AlertFixtures.SECRET_OLD)) {
      assertTrue(verify(secret, got, got.body().getBytes(), now), secret);
    }
    byte[] tampered = got.body().toString().replace("3/3", "2/3").getBytes();
    assertTrue(!verify(AlertFixtures.SECRET_NEW, got, tampered, now), "tampered body refused");
    assertTrue(
        !verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", got, got.body().getBytes(), now),
        "wrong secret refused");
    assertEquals(WebhookPayloads.standard(AlertFixtures.down()), got.json());
  }

  @Test
  void retriesKeepIdAndBodyButSignANewTimestamp(Vertx vertx) {
    WebhookConsumer c = WebhookConsumer.start(vertx, Reply.status(500)).await();
    MutableClock clock = new MutableClock(Instant.now());
    var hook = AlertFixtures.webhook(c.url("/"), Alerts.Format.STANDARD, LOOPBACK);
    WebhookSender sender = new WebhookSender(vertx, hook, null, clock);
    assertEquals(Outcome.RETRY, sender.send(AlertFixtures.down(), 1).await().outcome());
    clock.advanceMs(30_000);
    assertEquals(Outcome.DELIVERED, sender.send(AlertFixtures.down(), 2).await().outcome());
    var first = c.received().get(0);
    var second = c.received().get(1);
    assertEquals(first.headers().get("webhook-id"), second.headers().get("webhook-id"));
    assertEquals(first.body(), second.body());
    assertEquals(
        Long.parseLong(first.headers().get("webhook-timestamp")) + 30,
        Long.parseLong(second.headers().get("webhook-timestamp")));
    long now = clock.instant().getEpochSecond();
    assertTrue(verify(AlertFixtures.SECRET_NEW, second, second.body().getBytes(), now));
  }

  @Test
  void serverErrorsRetryUntilTheEndpointRecovers(Vertx vertx) {
    WebhookConsumer c =
        WebhookConsumer.start(vertx, Reply.status(500), Reply.withBody(503, "busy\r\n")).await();
    WebhookSender sender = standard(vertx, c);
    AlertEvent e = AlertFixtures.down();
    assertEquals(DeliveryResult.retry(500, -1, "HTTP 500"), sender.send(e, 1).await());
    assertEquals(DeliveryResult.retry(503, -1, "HTTP 503: busy"), sender.send(e, 2).await());
    assertEquals(DeliveryResult.delivered(200), sender.send(e, 3).await());
    assertEquals(3, c.received().size());
  }

  @Test
  void tooManyRequestsHonoursRetryAfterSeconds(Vertx vertx) {
    WebhookConsumer c =
        WebhookConsumer.start(vertx, Reply.withHeader(429, "Retry-After", "7")).await();
    assertEquals(
        DeliveryResult.retry(429, 7_000, "HTTP 429"),
        standard(vertx, c).send(AlertFixtures.down(), 1).await());
  }

  @Test
  void retryAfterAsHttpDate(Vertx vertx) {
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(120).atOffset(ZoneOffset.UTC));
    WebhookConsumer c =
        WebhookConsumer.start(
                vertx,
                Reply.withHeader(429, "Retry-After", date),
                Reply.withHeader(503, "Retry-After", "Sat, 21 Nov 2026 09:00:00 GMT"))
            .await();
    var hook = AlertFixtures.webhook(c.url("/"), Alerts.Format.STANDARD, LOOPBACK);
    WebhookSender sender = new WebhookSender(vertx, hook, null, Clock.fixed(now, ZoneOffset.UTC));
    assertEquals(120_000, sender.send(AlertFixtures.down(), 1).await().retryAfterMs(), date);
    assertEquals(
        DeliveryResult.retry(503, 0, "HTTP 503"),
        sender.send(AlertFixtures.down(), 2).await(),
        "a date in the past: retry now");
  }

  @Test
  void goneDisablesAndOtherClientErrorsFail(Vertx vertx) {
    WebhookConsumer c =
        WebhookConsumer.start(
                vertx,
                Reply.status(410),
                Reply.withBody(400, "{\"error\":\"bad event\"}"),
                Reply.status(408),
                Reply.status(401))
            .await();
    WebhookSender sender = standard(vertx, c);
    AlertEvent e = AlertFixtures.down();
    assertEquals(DeliveryResult.gone("HTTP 410: endpoint gone"), sender.send(e, 1).await());
    assertEquals(
        DeliveryResult.failed(400, "HTTP 400: {\"error\":\"bad event\"}"),
        sender.send(e, 1).await());
    assertEquals(DeliveryResult.retry(408, -1, "HTTP 408"), sender.send(e, 1).await());
    assertEquals(DeliveryResult.failed(401, "HTTP 401"), sender.send(e, 1).await());
  }

  @Test
  void aHangPastTheTimeoutIsRetriedWithinTheTimeout(Vertx vertx) {
    WebhookConsumer c = WebhookConsumer.start(vertx, Reply.hanging()).await();
    long t0 = System.nanoTime();
    DeliveryResult r = standard(vertx, c).send(AlertFixtures.down(), 1).await();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(DeliveryResult.retry(-1, -1, "waiting for response: timed out after 1500 ms"), r);
    assertTrue(ms >= 1_450 && ms < 1_500 + SLACK_MS, "took " + ms + " ms");
    assertEquals(1, c.received().size(), "the request itself arrived");
  }

  @Test
  void redirectsAreRefusedAndNeverFollowed(Vertx vertx) {
    WebhookConsumer elsewhere = WebhookConsumer.start(vertx).await();
    String target = elsewhere.url("/stolen");
    WebhookConsumer c =
        WebhookConsumer.start(
                vertx,
                Reply.withHeader(302, "Location", target),
                Reply.withHeader(308, "Location", target))
            .await();
    WebhookSender sender = standard(vertx, c);
    assertEquals(
        DeliveryResult.failed(302, "HTTP 302: redirect to " + target + " refused"),
        sender.send(AlertFixtures.down(), 1).await());
    assertEquals(Outcome.FAILED, sender.send(AlertFixtures.down(), 2).await().outcome());
    assertEquals(2, c.received().size());
    assertEquals(List.of(), elsewhere.received(), "the redirect target was never contacted");
  }

  @Test
  void hugeBodiesAreCappedAndStillClassified(Vertx vertx) {
    long huge = 64L * 1024 * 1024;
    WebhookConsumer c =
        WebhookConsumer.start(vertx, Reply.huge(200, huge), Reply.huge(503, huge)).await();
    WebhookSender sender = standard(vertx, c);
    long t0 = System.nanoTime();
    assertEquals(DeliveryResult.delivered(200), sender.send(AlertFixtures.down(), 1).await());
    DeliveryResult r = sender.send(AlertFixtures.down(), 2).await();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Outcome.RETRY, r.outcome());
    assertEquals(503, r.status());
    assertTrue(r.detail().length() < 300, r.detail());
    assertTrue(ms < 1_500, "64 MiB bodies were not read: " + ms + " ms");
  }

  @Test
  void connectionRefusedIsRetried(Vertx vertx) {
    var hook =
        AlertFixtures.webhook(
            "http://127.0.0.1:" + Ports.free() + "/", Alerts.Format.STANDARD, LOOPBACK);
    assertEquals(
        DeliveryResult.retry(-1, -1, "connect: connection refused"),
        send(vertx, hook, Clock.systemUTC(), AlertFixtures.down()));
  }

  @Test
  void unusableConfigFailsWithoutSending(Vertx vertx) {
    var ftp = AlertFixtures.webhook("ftp://127.0.0.1/x", Alerts.Format.STANDARD, LOOPBACK);
    assertEquals(
        DeliveryResult.failed(-1, "webhook url scheme must be http or https, not 'ftp'"),
        send(vertx, ftp, Clock.systemUTC(), AlertFixtures.down()));
    var pd =
        new Alerts.Webhook(
            "pd",
            "http://127.0.0.1:1/",
            Alerts.Format.PAGERDUTY,
            List.of(),
            null,
            1,
            1,
            LOOPBACK,
            null);
    assertEquals(
        DeliveryResult.failed(-1, "pagerduty channel has no routingKey"),
        send(vertx, pd, Clock.systemUTC(), AlertFixtures.down()));
  }

  static WebhookSender standard(Vertx vertx, WebhookConsumer c) {
    return new WebhookSender(
        vertx, AlertFixtures.webhook(c.url("/"), Alerts.Format.STANDARD, LOOPBACK));
  }

  static DeliveryResult send(Vertx vertx, Alerts.Webhook hook, Clock clock, AlertEvent e) {
    WebhookSender sender = new WebhookSender(vertx, hook, null, clock);
    try {
      return sender.send(e, 1).await();
    } finally {
      sender.close().await();
    }
  }

  private static boolean verify(
      String secret, WebhookConsumer.Received got, byte[] body, long nowSeconds) {
    return new StandardWebhooksVerifier(List.of(secret), 300)
        .verify(
            got.headers().get("webhook-id"),
            got.headers().get("webhook-timestamp"),
            got.headers().get("webhook-signature"),
            body,
            nowSeconds);
  }

  static JsonObject only(WebhookConsumer c) {
    assertEquals(1, c.received().size());
    return c.received().get(0).json();
  }
}
