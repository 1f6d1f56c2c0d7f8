package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped demo TLS material is what the README and {@link DemoTls} promise. */
class DemoTlsTest {
  private static final DemoTls TLS = DemoTls.load();

  @Test
  void writeToCopiesTheThreeFilesExactly(@TempDir Path dir) throws Exception {
    DemoTls.PemFiles f = TLS.writeTo(dir.resolve("nested"));
    assertEquals(dir.resolve("nested/ca.pem"), f.caFile());
    assertArrayEquals(TLS.caPem().getBytes(), Files.readAllBytes(f.caFile()));
    assertArrayEquals(TLS.certPem().getBytes(), Files.readAllBytes(f.certFile()));
    assertArrayEquals(TLS.keyPem().getBytes(), Files.readAllBytes(f.keyFile()));
    TLS.writeTo(dir.resolve("nested")); // replaces
  }

  @Test
  void leafIsValidFrom2026ForThirtyYearsAndSignedByTheDemoCa() throws Exception {
    X509Certificate ca = cert(TLS.caPem().getBytes());
    X509Certificate leaf = cert(TLS.certPem().getBytes());
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    Instant to = Instant.parse("2056-01-01T00:00:00Z");
    for (X509Certificate c : List.of(ca, leaf)) {
      assertEquals(from, c.getNotBefore().toInstant());
      assertEquals(to, c.getNotAfter().toInstant());
    }
    leaf.verify(ca.getPublicKey());
    ca.verify(ca.getPublicKey());
    assertEquals(0, ca.getBasicConstraints(), "a CA with pathlen 0");
    assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
    assertEquals("CN=mail.demo.test", leaf.getSubjectX500Principal().getName());
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage());
  }

  @Test
  void leafNamesEveryDemoNameAndAddress() throws Exception {
    X509Certificate leaf = cert(TLS.certPem().getBytes());
    Set<String> dns = sans(leaf, 2);
    Set<String> ips = sans(leaf, 7);
    assertEquals(Set.copyOf(DemoTls.DNS_NAMES), dns);
    assertEquals(Set.copyOf(DemoTls.IP_NAMES), ips);
    assertTrue(dns.contains("*.demo.test") && dns.contains("localhost"));
  }

  @Test
  void keyIsUnencryptedPkcs8AndMatchesTheCertificate() throws Exception {
    String pem = TLS.keyPem().toString();
    assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem.substring(0, 30));
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    byte[] data = "quorate demo".getBytes();
    Signature sign = Signature.getInstance("SHA256withECDSA");
    sign.initSign(key);
    sign.update(data);
    byte[] sig = sign.sign();
    Signature check = Signature.getInstance("SHA256withECDSA");
    check.initVerify(cert(TLS.certPem().getBytes()).getPublicKey());
    check.update(data);
    assertTrue(check.verify(sig), "mail-key.pem is the key of mail.pem");
  }

  private static X509Certificate cert(byte[] pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  private static Set<String> sans(X509Certificate c, int type) throws Exception {
    return c.getSubjectAlternativeNames().stream()
        .filter(san -> (Integer) san.get(0) == type)
        .map(san -> (String) san.get(1))
        .collect(Collectors.toSet());
  }
}
