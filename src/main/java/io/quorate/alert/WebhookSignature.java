package io.quorate.alert;

import io.quorate.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks symmetric signatures (spec "standard-webhooks.md", "Signature scheme" and
 * "Webhook headers"): {@code v1,} + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)),
 * one per configured secret, space-separated, so consumers keep verifying during a key rotation.
 * Secrets are written {@code whsec_} + base64 of the key.
 */
public final class WebhookSignature {
  public static final String HEADER_ID = "webhook-id";
  public static final String HEADER_TIMESTAMP = "webhook-timestamp";
  public static final String HEADER_SIGNATURE = "webhook-signature";
  static final String SECRET_PREFIX = "whsec_";

  private WebhookSignature() {}

  /**
   * The {@code webhook-signature} header value for {@code body} sent with {@code id} at {@code
   * timestampSeconds} (Unix seconds of this attempt), signed with every secret in order.
   *
   * @throws IllegalArgumentException when a secret is not {@code whsec_} + base64 (the message
   *     names the secret's reference, never its value), or the id contains a '.' (the spec forbids
   *     it: the signed content is '.'-delimited)
   */
  public static String header(List<Secret> secrets, String id, long timestampSeconds, byte[] body) {
    if (id.indexOf('.') >= 0 || id.isEmpty()) {
      throw new IllegalArgumentException("event id must be non-empty and contain no '.'");
    }
    byte[] prefix = (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (Secret s : secrets) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append("v1,").append(sign(key(s), prefix, body));
    }
    return out.toString();
  }

  /** The raw HMAC key of a {@code whsec_…} secret. */
  static byte[] key(Secret secret) {
    String v = secret.reveal();
    String b64 = v.startsWith(SECRET_PREFIX) ? v.substring(SECRET_PREFIX.length()) : v;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "webhook secret " + secret.reference() + " is not whsec_ followed by base64", e);
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("webhook secret " + secret.reference() + " is empty");
    }
    return key;
  }

  private static String sign(byte[] key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(prefix);
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e); // every JRE has it
    }
  }
}
