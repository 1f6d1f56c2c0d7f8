package io.quorate.testsupport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away test CA and the server certificates the lab servers use: valid, expired, expiring,
 * and for the wrong name. Written as PEM files that nginx, Postfix and Dovecot read.
 *
 * <pre>
 * TestTls ca = TestTls.newCa(dir);
 * TestTls.Issued good = ca.issue("good", List.of("www.example.test", "localhost", "127.0.0.1"),
 *     Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)));
 * // good.certFile() (leaf + CA chain), good.keyFile(); ca.caFile() as trust anchor
 * </pre>
 */
public final class TestTls {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final Path caFile;

  /** A leaf certificate and its key, as PEM files. */
  public record Issued(Path certFile, Path keyFile, X509Certificate cert) {}

  private TestTls(Path dir, KeyPair caKeys, X509Certificate caCert, Path caFile) {
    this.dir = dir;
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.caFile = caFile;
  }

  /** Creates a CA valid from yesterday for ten years, writing {@code ca.pem} into {@code dir}. */
  public static TestTls newCa(Path dir) {
    try {
      Files.createDirectories(dir);
      KeyPair keys = rsa();
      X500Name name = new X500Name("CN=Quorate Test CA " + SERIAL.incrementAndGet());
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(3650))),
              name,
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate cert = sign(b, keys.getPrivate());
      Path caFile = dir.resolve("ca.pem");
      Files.writeString(caFile, pem(cert));
      return new TestTls(dir, keys, cert, caFile);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create test CA", e);
    }
  }

  /** PEM file holding the CA certificate: the trust anchor for probes under test. */
  public Path caFile() {
    return caFile;
  }

  public X509Certificate caCert() {
    return caCert;
  }

  /** A certificate valid from a day ago for 90 days. */
  public Issued issueValid(String baseName, List<String> names) {
    Instant now = Instant.now();
    return issue(baseName, names, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)));
  }

  /**
   * Issues a server certificate for {@code names} (DNS names or IP literals) valid between the two
   * instants; writes {@code <baseName>.crt} (leaf then CA) and {@code <baseName>.key} (PKCS#8).
   * Files are mode 0644/0644 so daemons that drop privileges can read them.
   */
  public Issued issue(String baseName, List<String> names, Instant notBefore, Instant notAfter) {
    try {
      KeyPair keys = rsa();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              new X500Name(caCert.getSubjectX500Principal().getName()),
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Name("CN=" + names.get(0)),
              keys.getPublic());
      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        boolean ip = n.matches("[0-9.]+") || n.contains(":");
        sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert = sign(b, caKeys.getPrivate());
      Path certFile = dir.resolve(baseName + ".crt");
      Path keyFile = dir.resolve(baseName + ".key");
      Files.writeString(certFile, pem(cert) + pem(caCert));
      Files.writeString(keyFile, pem(keys.getPrivate()));
      return new Issued(certFile, keyFile, cert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue test certificate", e);
    }
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }

  static boolean isIpLiteral(String s) {
    try {
      return InetAddress.getByName(s).getHostAddress().equals(s);
    } catch (IOException e) {
      return false;
    }
  }
}
