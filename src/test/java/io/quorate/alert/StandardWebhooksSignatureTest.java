package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WebhookSignature} and the tests' independent {@link StandardWebhooksVerifier} against the
 * Standard Webhooks published test vector, plus rotation and tampering.
 *
 * <p>Vector source: github.com/standard-webhooks/standard-webhooks, commit
 * b2fa7b8719fb75d326b591077f5d1b385cfcdfae, libraries/go/webhook_test.go {@code TestWebhookSign}
 * (the same values appear in libraries/javascript/src/webhook.test.ts and
 * libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs); the "invalid signature" value is from
 * libraries/python/tests/test_webhooks.py. Only the values are used.
 */
class StandardWebhooksSignatureTest {
  private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long VECTOR_TS = 1614265330L;
  private static final byte[] VECTOR_BODY =
      "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String VECTOR_SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final String VECTOR_BAD_SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=";

  private final StandardWebhooksVerifier vectorVerifier =
      new StandardWebhooksVerifier(List.of(VECTOR_SECRET), 300);

  @Test
  void senderReproducesThePublishedVector() {
    String header =
        WebhookSignature.header(
            List.of(AlertFixtures.secret(VECTOR_SECRET)), VECTOR_ID, VECTOR_TS, VECTOR_BODY);
    assertEquals(VECTOR_SIG, header);
  }

  @Test
  void verifierAcceptsThePublishedVectorAndRefusesItsInvalidTwin() {
    assertTrue(verifyVector(VECTOR_SIG, VECTOR_BODY, VECTOR_TS));
    assertFalse(verifyVector(VECTOR_BAD_SIG, VECTOR_BODY, VECTOR_TS));
    assertFalse(verifyVector("v1,", VECTOR_BODY, VECTOR_TS), "partial signature");
    assertFalse(
        verifyVector("v2," + VECTOR_SIG.substring(3), VECTOR_BODY, VECTOR_TS), "other scheme");
  }

  @Test
  void verifierRefusesTamperedBodyIdAndStaleTimestamp() {
    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
    assertFalse(verifyVector(VECTOR_SIG, tampered, VECTOR_TS));
    assertFalse(
        vectorVerifier.verify(
            "msg_other", Long.toString(VECTOR_TS), VECTOR_SIG, VECTOR_BODY, VECTOR_TS));
    assertFalse(verifyVector(VECTOR_SIG, VECTOR_BODY, VECTOR_TS + 301), "outside tolerance");
  }

  @Test
  void rotationSignsWithEverySecretAndEitherVerifies() {
    byte[] body = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
    String header =
        WebhookSignature.header(
            List.of(
                AlertFixtures.secret(AlertFixtures.SECRET_NEW),
                AlertFixtures.secret(AlertFixtures.SECRET_OLD)),
            "evt_x",
            VECTOR_TS,
            body);
    String[] parts = header.split(" ");
    assertEquals(2, parts.length, header);
    assertTrue(parts[0].startsWith("v1,") && parts[1].startsWith("v1,"), header);
    var onlyNew = new StandardWebhooksVerifier(List.of(AlertFixtures.SECRET_NEW), 300);
    var onlyOld = new StandardWebhooksVerifier(List.of(AlertFixtures.SECRET_OLD), 300);
    var wrong = new StandardWebhooksVerifier(List.of(VECTOR_SECRET), 300);
    String ts = Long.toString(VECTOR_TS);
    assertTrue(onlyNew.verify("evt_x", ts, header, body, VECTOR_TS));
    assertTrue(onlyOld.verify("evt_x", ts, header, body, VECTOR_TS));
    assertFalse(wrong.verify("evt_x", ts, header, body, VECTOR_TS), "wrong secret");
    assertTrue(onlyOld.verify("evt_x", ts, parts[1], body, VECTOR_TS));
    assertFalse(onlyOld.verify("evt_x", ts, parts[0], body, VECTOR_TS));
  }

  @Test
  void badSecretsAndDottedIdsAreRefusedWithoutRevealingTheSecret() {
    var bad = AlertFixtures.secret("whsec_not*base64");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WebhookSignature.header(List.of(bad), "evt_1", 1, new byte[0]));
    assertEquals(
        "webhook secret ${env:TEST_SECRET} is not whsec_ followed by base64", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            WebhookSignature.header(
                List.of(AlertFixtures.secret(VECTOR_SECRET)), "evt.1", 1, new byte[0]));
  }

  private boolean verifyVector(String sig, byte[] body, long now) {
    return vectorVerifier.verify(VECTOR_ID, Long.toString(VECTOR_TS), sig, body, now);
  }
}
