package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Alerts;
import io.quorate.testsupport.TestTls;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SSRF guard: forbidden addresses are refused before any connection (the consumer on loopback
 * sees nothing), an allowlisted host is reached at exactly the checked address, and https presents
 * the URL's host name as SNI and certificate name even though the connection goes to an address.
 */
@ExtendWith(VertxExtension.class)
class WebhookSsrfTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      nullValues = "public",
      value = {
        "127.0.0.1, loopback",
        "127.4.5.6, loopback",
        "::1, loopback",
        "::ffff:127.0.0.1, loopback",
        "10.1.2.3, private",
        "172.16.0.1, private",
        "172.31.255.254, private",
        "192.168.10.1, private",
        "fc00::1, private",
        "fd12:3456::1, private",
        "169.254.1.1, link-local",
        "fe80::1, link-local",
        "169.254.169.254, a cloud metadata address",
        "fd00:ec2::254, a cloud metadata address",
        "100.100.100.200, a cloud metadata address",
        "0.0.0.0, unspecified",
        "0.1.2.3, unspecified",
        "::, unspecified",
        "224.0.0.1, multicast",
        "ff02::1, multicast",
        "255.255.255.255, multicast",
        "::7f00:1, an IPv4-compatible IPv6 address",
        "172.32.0.1, public",
        "8.8.8.8, public",
        "2001:4860:4860::8888, public",
      })
  void addressClasses(String literal, String expected) throws Exception {
    assertEquals(expected, SsrfGuard.forbidden(InetAddress.getByName(literal)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://10.0.0.1/hook | address 10.0.0.1 is private",
        "http://192.168.0.1:8080/ | address 192.168.0.1 is private",
        "http://169.254.169.254/latest/meta-data/ | address 169.254.169.254 is a cloud metadata address",
        "http://[fd00:ec2::254]/ | address fd00:ec2:0:0:0:0:0:254 is a cloud metadata address",
        "https://[fe80::1]/ | address fe80:0:0:0:0:0:0:1 is link-local",
        "http://[::1]:9/ | address 0:0:0:0:0:0:0:1 is loopback",
        "http://0.0.0.0:9/ | address 0.0.0.0 is unspecified",
      })
  void forbiddenTargetsFailWithoutConnecting(String url, String why, Vertx vertx) {
    var hook = AlertFixtures.webhook(url, Alerts.Format.STANDARD, List.of());
    long t0 = System.nanoTime();
    DeliveryResult r = WebhookSenderTest.send(vertx, hook, Clock.systemUTC(), AlertFixtures.down());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(DeliveryResult.failed(-1, why + "; add the host to allowHosts to allow it"), r);
    assertTrue(ms < 900, "refused before the 1000 ms connect timeout could run: " + ms + " ms");
  }

  @Test
  void allowHostsMatchesIpv6LiteralsInAnySpelling(Vertx vertx) {
    InetAddress a = new SsrfGuard(vertx, List.of("[0:0::1]")).resolve("[::1]").await();
    assertEquals("0:0:0:0:0:0:0:1", a.getHostAddress());
    Throwable refused =
        new SsrfGuard(vertx, List.of("::2"))
            .resolve("::1")
            .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
            .await();
    assertTrue(refused instanceof SsrfGuard.AddressRefusedException, String.valueOf(refused));
    assertEquals(
        "address 0:0:0:0:0:0:0:1 is loopback; add the host to allowHosts to allow it",
        refused.getMessage());
  }

  @Test
  void loopbackLiteralAndLocalhostAreRefusedUnlessAllowed(Vertx vertx) {
    WebhookConsumer c = WebhookConsumer.start(vertx).await();
    String refused = "address 127.0.0.1 is loopback; add the host to allowHosts to allow it";
    for (String host : List.of("127.0.0.1", "localhost", "LOCALHOST.")) {
      var hook =
          AlertFixtures.webhook(
              "http://" + host + ":" + c.port() + "/", Alerts.Format.STANDARD, List.of());
      assertEquals(
          DeliveryResult.failed(-1, refused),
          WebhookSenderTest.send(vertx, hook, Clock.systemUTC(), AlertFixtures.down()),
          host);
    }
    assertEquals(List.of(), c.received(), "no request reached the consumer");
    var allowed =
        AlertFixtures.webhook(
            "http://localhost:" + c.port() + "/x", Alerts.Format.STANDARD, List.of("Localhost"));
    assertEquals(
        DeliveryResult.delivered(200),
        WebhookSenderTest.send(vertx, allowed, Clock.systemUTC(), AlertFixtures.down()));
    assertEquals("localhost:" + c.port(), c.received().get(0).headers().get("host"));
  }

  @Test
  void httpsPresentsTheHostNameAsSniAndCertificateName(Vertx vertx, @TempDir Path dir) {
    TestTls ca = TestTls.newCa(dir);
    TestTls.Issued cert = ca.issueValid("hooks", List.of("localhost")); // no IP SAN
    WebhookConsumer c = WebhookConsumer.start(vertx, cert).await();
    var hook =
        AlertFixtures.webhook(
            "https://localhost:" + c.port() + "/tls", Alerts.Format.STANDARD, List.of("localhost"));
    var trust = new PemTrustOptions().addCertPath(ca.caFile().toString());
    WebhookSender sender = new WebhookSender(vertx, hook, trust, Clock.systemUTC());
    assertEquals(DeliveryResult.delivered(200), sender.send(AlertFixtures.down(), 1).await());
    assertEquals("localhost", c.received().get(0).sni());
    assertEquals("localhost:" + c.port(), c.received().get(0).headers().get("host"));
    // the JVM's trust store does not know the test CA: the handshake fails, nothing is sent
    DeliveryResult untrusted =
        WebhookSenderTest.send(vertx, hook, Clock.systemUTC(), AlertFixtures.down());
    assertEquals(DeliveryResult.Outcome.RETRY, untrusted.outcome());
    assertTrue(untrusted.detail().startsWith("TLS: "), untrusted.detail());
    assertEquals(1, c.received().size());
  }

  @Test
  void aCertificateForAnotherNameIsRefused(Vertx vertx, @TempDir Path dir) {
    TestTls ca = TestTls.newCa(dir);
    TestTls.Issued cert = ca.issueValid("other", List.of("other.example.test", "127.0.0.1"));
    WebhookConsumer c = WebhookConsumer.start(vertx, cert).await();
    var hook =
        AlertFixtures.webhook(
            "https://localhost:" + c.port() + "/", Alerts.Format.STANDARD, List.of("localhost"));
    var trust = new PemTrustOptions().addCertPath(ca.caFile().toString());
    WebhookSender sender = new WebhookSender(vertx, hook, trust, Clock.systemUTC());
    DeliveryResult r = sender.send(AlertFixtures.down(), 1).await();
    assertEquals(DeliveryResult.Outcome.RETRY, r.outcome(), r.detail());
    assertTrue(r.detail().startsWith("TLS: "), r.detail());
    assertEquals(List.of(), c.received());
  }

  @Test
  void anIpLiteralIsVerifiedAgainstTheCertificateAndSendsNoSni(Vertx vertx, @TempDir Path dir) {
    TestTls ca = TestTls.newCa(dir);
    TestTls.Issued cert = ca.issueValid("ip", List.of("127.0.0.1"));
    WebhookConsumer c = WebhookConsumer.start(vertx, cert).await();
    var hook =
        AlertFixtures.webhook(
            "https://127.0.0.1:" + c.port() + "/", Alerts.Format.STANDARD, List.of("127.0.0.1"));
    var trust = new PemTrustOptions().addCertPath(ca.caFile().toString());
    WebhookSender sender = new WebhookSender(vertx, hook, trust, Clock.systemUTC());
    assertEquals(DeliveryResult.delivered(200), sender.send(AlertFixtures.down(), 1).await());
    assertEquals(null, c.received().get(0).sni(), "RFC 6066 §3: no IP literal in SNI");
  }
}
