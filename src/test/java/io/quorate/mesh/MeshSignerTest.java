package io.quorate.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MeshSignerTest {
  static final byte[] BODY = "{\"region\":\"us-east\"}".getBytes(StandardCharsets.UTF_8);
  final MeshSigner signer = new MeshSigner(new Secret("${env:K}", "k".repeat(32)));

  @Test
  void rfc4231TestCase2() {
    // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?"
    MeshSigner jefe = new MeshSigner(new Secret("${env:J}", "Jefe"));
    String header = jefe.sign("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
    assertTrue(header.startsWith("v1="));
    assertEquals(
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        HexFormat.of().formatHex(Base64.getDecoder().decode(header.substring(3))));
  }

  @Test
  void signatureVerifies() {
    assertTrue(signer.verify(BODY, signer.sign(BODY)));
  }

  @Test
  void tamperedBodyFails() {
    String sig = signer.sign(BODY);
    byte[] other = BODY.clone();
    other[3] ^= 1;
    assertFalse(signer.verify(other, sig));
  }

  @Test
  void wrongKeyFails() {
    MeshSigner other = new MeshSigner(new Secret("${env:O}", "o".repeat(32)));
    assertFalse(signer.verify(BODY, other.sign(BODY)));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "v1=",
        "v2=AAAA",
        "v1=not base64!",
        "v1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "v1=AAAA",
        "V1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
      })
  void garbledHeadersFail(String header) {
    assertFalse(signer.verify(BODY, header));
  }

  @Test
  void overlongHeaderFailsBeforeDecoding() {
    String sig = signer.sign(BODY);
    assertFalse(signer.verify(BODY, sig + "A".repeat(100)));
  }

  @Test
  void truncatedMacFails() {
    String sig = signer.sign(BODY);
    byte[] mac = Base64.getDecoder().decode(sig.substring(3));
    byte[] half = java.util.Arrays.copyOf(mac, 16);
    assertFalse(signer.verify(BODY, "v1=" + Base64.getEncoder().encodeToString(half)));
  }

  @Test
  void requestBytesAreMethodPathDate() {
    assertArrayEquals(
        "GET\n/api/v1/mesh/observations?since=0&nonce=x\n2026-11-22T10:00:00Z"
            .getBytes(StandardCharsets.UTF_8),
        MeshSigner.requestBytes(
            "GET", "/api/v1/mesh/observations?since=0&nonce=x", "2026-11-22T10:00:00Z"));
  }
}
