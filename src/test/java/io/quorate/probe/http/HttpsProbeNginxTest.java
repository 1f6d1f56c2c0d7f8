package io.quorate.probe.http;

import static io.quorate.probe.ProbeAssert.assertResult;
import static io.quorate.probe.ProbeAssert.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.NginxLab;
import io.quorate.testsupport.SharedLabs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP probe over TLS against a real nginx: certificate judgement, SNI, TlsInfo reporting. */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class HttpsProbeNginxTest {
  private static final String NAME = "www.example.test";

  private static NginxLab nginx;
  private static HttpProbe probe;
  private static TlsPolicy trusted;

  @BeforeAll
  static void start(Vertx vertx, NginxLab shared) {
    nginx = shared;
    probe = new HttpProbe(ProbeContext.of(vertx));
    trusted = TlsPolicy.DEFAULT.withCaFile(nginx.caFile().toString());
  }

  private static HttpCheckBuilder health(TlsPolicy policy) {
    return HttpCheckBuilder.get("/health").https(policy).host(NAME);
  }

  private static void assertTlsInfo(ProbeResult r, String subjectPart) {
    assertNotNull(r.tls(), () -> "no TlsInfo: " + r);
    assertTrue(r.tls().subject().contains(subjectPart), r::toString);
    assertNotNull(r.tls().protocol(), r::toString);
    assertNotNull(r.tls().cipherSuite(), r::toString);
  }

  @Test
  void goodCertificateTrustedViaCaFileIsUpAndSniIsTheServiceName(VertxTestContext tc) {
    expect(
        tc,
        probe,
        health(trusted)
            .contains("ok")
            .expectHeader("X-Echo-Sni", "^www\\.example\\.test$", false)
            .expectHeader("X-Echo-Host", "^www\\.example\\.test$", false)
            .target(nginx.goodPort()),
        r -> {
          assertResult(r, Outcome.UP, null, "HTTP 200");
          assertTlsInfo(r, "CN=www.example.test");
          assertTrue(r.tls().daysLeft() >= 88, r::toString);
          assertEquals("200", r.facts().get("status"));
          assertNotNull(r.timings().connectMs());
          assertNull(r.timings().tlsMs(), "connect includes the handshake for http");
        });
  }

  @Test
  void testCaIsNotTrustedByDefault(VertxTestContext tc) {
    expect(
        tc,
        probe,
        health(TlsPolicy.DEFAULT).target(nginx.goodPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.CERTIFICATE, "untrusted certificate chain");
          assertTlsInfo(r, "CN=www.example.test");
          assertNull(r.facts().get("status"), "no request may be sent after a failed judgement");
        });
  }

  @Test
  void verifyFalseIsUpButStillReportsTls(VertxTestContext tc) {
    expect(
        tc,
        probe,
        health(TlsPolicy.DEFAULT.withVerify(false)).target(nginx.wrongNamePort()),
        r -> {
          assertResult(r, Outcome.UP, null, null);
          assertTlsInfo(r, "CN=wrong.example.org");
        });
  }

  @Test
  void expiredCertificateIsDownWithTlsInfo(VertxTestContext tc) {
    expect(
        tc,
        probe,
        health(trusted).target(nginx.expiredPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.CERTIFICATE, "certificate expired");
          assertTlsInfo(r, "CN=www.example.test");
          assertTrue(r.tls().daysLeft() < 0, r::toString);
        });
  }

  @Test
  void wrongNameIsDown(VertxTestContext tc) {
    expect(
        tc,
        probe,
        health(trusted).target(nginx.wrongNamePort()),
        r -> {
          assertResult(
              r,
              Outcome.DOWN,
              ErrorKind.CERTIFICATE,
              "certificate is not valid for www.example.test");
          assertTlsInfo(r, "CN=wrong.example.org");
        });
  }

  @Test
  void expiringWithinCriticalDaysIsDown(VertxTestContext tc) {
    expect(
        tc,
        probe,
        health(trusted).target(nginx.expiringPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.CERTIFICATE, "certificate expires in 5 days");
          assertEquals(5, r.tls().daysLeft());
        });
  }

  @Test
  void expiringWithinWarnDaysIsDegradedWhenHttpIsOk(VertxTestContext tc) {
    TlsPolicy warnOnly = new TlsPolicy(true, null, nginx.caFile().toString(), 21, 3, "TLSv1.2");
    expect(
        tc,
        probe,
        health(warnOnly).target(nginx.expiringPort()),
        r -> {
          assertResult(
              r,
              Outcome.DEGRADED,
              ErrorKind.CERTIFICATE,
              "certificate expires in 5 days (warning below 21)");
          assertEquals("200", r.facts().get("status"));
        });
  }

  @Test
  void failedHttpAssertionStillReportsTls(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/status503").https(trusted).host(NAME).target(nginx.goodPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "HTTP 503");
          assertTlsInfo(r, "CN=www.example.test");
        });
  }

  @Test
  void bigBodyOverTlsFails(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/big").https(trusted).host(NAME).target(nginx.goodPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "body larger than 65536 bytes");
          assertTlsInfo(r, "CN=www.example.test");
        });
  }

  @Test
  void redirectFollowedOverTlsStaysOnTheMember(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/redirect")
            .https(trusted)
            .host(NAME)
            .follow(3)
            .status(200)
            .contains("ok")
            .target(nginx.goodPort()),
        r -> {
          assertResult(r, Outcome.UP, null, "HTTP 200");
          assertEquals("1", r.facts().get("redirects"));
        });
  }

  @Test
  void sniSelectsTheServersCertificate(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health")
            .https(trusted)
            .host(NginxLab.SNI_NAME)
            .expectHeader("X-Echo-Sni", "^sni\\.example\\.test$", false)
            .target(nginx.sniPort()),
        r -> {
          assertResult(r, Outcome.UP, null, null);
          assertTlsInfo(r, "CN=" + NginxLab.SNI_NAME);
        });
  }

  @Test
  void ipLiteralSendsNoSniAndGetsTheDefaultCertificate(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health").https(trusted).target(nginx.sniPort()),
        r -> {
          assertResult(
              r, Outcome.DOWN, ErrorKind.CERTIFICATE, "certificate is not valid for 127.0.0.1");
          assertTlsInfo(r, "CN=wrong.example.org");
        });
  }

  @Test
  void ipLiteralMatchesAnIpSan(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health").https(trusted).target(nginx.goodPort()),
        r -> assertResult(r, Outcome.UP, null, null));
  }

  @Test
  void tlsToAPlainPortIsATlsFailure(VertxTestContext tc) {
    expect(
        tc,
        probe,
        health(trusted).target(nginx.httpPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.TLS, "TLS handshake failed");
          assertNull(r.tls());
        });
  }
}
