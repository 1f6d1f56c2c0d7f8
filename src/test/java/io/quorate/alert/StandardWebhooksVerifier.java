package io.quorate.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A consumer-side verifier of Standard Webhooks signatures, written from the spec
 * (standard-webhooks/standard-webhooks, spec/standard-webhooks.md, "Signature scheme" and "Webhook
 * headers") independently of {@link WebhookSignature}: it shares no code with the sender, so a
 * mistake in one is caught by the other and by the spec's published test vector.
 */
final class StandardWebhooksVerifier {
  private final List<byte[]> keys;
  private final long toleranceSeconds;

  /**
   * @param secrets {@code whsec_}-prefixed base64 secrets the consumer accepts
   */
  StandardWebhooksVerifier(List<String> secrets, long toleranceSeconds) {
    this.keys =
        secrets.stream()
            .map(s -> Base64.getDecoder().decode(s.substring(s.indexOf('_') + 1)))
            .toList();
    this.toleranceSeconds = toleranceSeconds;
  }

  /**
   * Whether the request is authentic: all three headers present, the timestamp within the tolerance
   * of {@code nowSeconds}, and at least one {@code v1} signature in the space-separated list equal
   * (constant time) to the HMAC of {@code id.timestamp.body} under one of the keys.
   */
  boolean verify(String id, String timestamp, String signatures, byte[] body, long nowSeconds) {
    if (id == null || timestamp == null || signatures == null) {
      return false;
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowSeconds - ts) > toleranceSeconds) {
      return false;
    }
    byte[] signed = concat((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    for (String entry : signatures.split(" ")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue; // another scheme (v1a, …) or garbage
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(entry.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] key : keys) {
        if (MessageDigest.isEqual(hmac(key, signed), given)) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m.doFinal(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
