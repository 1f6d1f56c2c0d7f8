package io.quorate.mesh;

import io.quorate.config.Secret;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 (RFC 2104) over raw bytes with one region's key, in the header form {@code
 * v1=<base64>}. Immutable and thread-safe: a {@link Mac} is created per call (cheap next to the
 * HTTP exchange, and no state is shared between event loops).
 */
public final class MeshSigner {
  /** The only signature scheme so far; a new scheme gets a new prefix. */
  public static final String SCHEME = "v1=";

  private static final String ALGORITHM = "HmacSHA256";
  private static final int MAC_LENGTH = 32;

  /** {@code v1=} plus 44 base64 characters; anything longer is refused before decoding. */
  private static final int MAX_HEADER_LENGTH = 64;

  private final SecretKeySpec key;

  public MeshSigner(Secret key) {
    Objects.requireNonNull(key, "key");
    this.key = new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /** The header value signing {@code bytes}. */
  public String sign(byte[] bytes) {
    return SCHEME + Base64.getEncoder().encodeToString(mac(bytes));
  }

  public String sign(Buffer bytes) {
    return sign(bytes.getBytes());
  }

  /**
   * Whether {@code header} is a valid {@code v1=} signature of {@code bytes}. Compared in constant
   * time ({@link MessageDigest#isEqual}); a missing or garbled header is simply not valid.
   */
  public boolean verify(byte[] bytes, String header) {
    if (header == null || header.length() > MAX_HEADER_LENGTH || !header.startsWith(SCHEME)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(SCHEME.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return given.length == MAC_LENGTH && MessageDigest.isEqual(mac(bytes), given);
  }

  public boolean verify(Buffer bytes, String header) {
    return verify(bytes.getBytes(), header);
  }

  /** The bytes signed for a pull request: {@code GET\n<path?query>\n<date>}. */
  public static byte[] requestBytes(String method, String pathAndQuery, String date) {
    return (method + "\n" + pathAndQuery + "\n" + date).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] mac(byte[] bytes) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }
}
