package io.quorate.probe.tls;

import static io.quorate.probe.ProbeAssert.assertResult;
import static io.quorate.probe.ProbeAssert.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsCheck;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.testsupport.NginxLab;
import io.quorate.testsupport.Ports;
import io.quorate.testsupport.SharedLabs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TLS probe against a real nginx's HTTPS ports. */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class TlsProbeNginxTest {
  private static final String NAME = "www.example.test";

  private static NginxLab nginx;
  private static TlsProbe probe;
  private static TlsPolicy trusted;

  @BeforeAll
  static void start(Vertx vertx, NginxLab shared) {
    nginx = shared;
    probe = new TlsProbe(ProbeContext.of(vertx));
    trusted = TlsPolicy.DEFAULT.withCaFile(nginx.caFile().toString()).withServerName(NAME);
  }

  private static Target target(int port, TlsPolicy policy) {
    return new Target(
        "tls-1",
        ProbeType.TLS,
        null,
        "127.0.0.1",
        port,
        10_000,
        3_000,
        null,
        2,
        2,
        new TlsCheck(policy));
  }

  @Test
  void goodCertificateIsUpWithFactsAndTimings(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.goodPort(), trusted),
        r -> {
          assertResult(r, Outcome.UP, null, null);
          assertEquals("TLSv1.3", r.facts().get("protocol"), r::toString);
          assertNotNull(r.facts().get("cipher"), r::toString);
          assertTrue(Long.parseLong(r.facts().get("daysLeft")) >= 88, r::toString);
          assertNotNull(r.timings().connectMs());
          assertNotNull(r.timings().tlsMs());
          assertNull(r.timings().firstByteMs());
          assertTrue(r.tls().subject().contains("CN=www.example.test"), r::toString);
        });
  }

  @Test
  void ipAddressAsNameMatchesTheIpSan(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.goodPort(), trusted.withServerName(null)),
        r -> assertResult(r, Outcome.UP, null, null));
  }

  @Test
  void untrustedChainIsDown(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.goodPort(), TlsPolicy.DEFAULT.withServerName(NAME)),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.CERTIFICATE, "untrusted certificate chain");
          assertNotNull(r.tls());
        });
  }

  @Test
  void expiredIsDown(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.expiredPort(), trusted),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.CERTIFICATE, "certificate expired");
          assertTrue(Long.parseLong(r.facts().get("daysLeft")) < 0, r::toString);
        });
  }

  @Test
  void wrongNameIsDown(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.wrongNamePort(), trusted),
        r ->
            assertResult(
                r,
                Outcome.DOWN,
                ErrorKind.CERTIFICATE,
                "certificate is not valid for www.example.test"));
  }

  @Test
  void wrongNameAcceptedWithoutVerification(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.wrongNamePort(), trusted.withVerify(false)),
        r -> {
          assertResult(r, Outcome.UP, null, null);
          assertTrue(r.tls().subject().contains("CN=wrong.example.org"), r::toString);
        });
  }

  @Test
  void expiringBelowCriticalIsDown(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.expiringPort(), trusted),
        r ->
            assertResult(
                r,
                Outcome.DOWN,
                ErrorKind.CERTIFICATE,
                "certificate expires in 5 days (critical below 7)"));
  }

  @Test
  void expiringBelowWarnIsDegraded(VertxTestContext tc) {
    TlsPolicy p = new TlsPolicy(true, NAME, nginx.caFile().toString(), 21, 3, "TLSv1.2");
    expect(
        tc,
        probe,
        target(nginx.expiringPort(), p),
        r -> {
          assertResult(
              r,
              Outcome.DEGRADED,
              ErrorKind.CERTIFICATE,
              "certificate expires in 5 days (warning below 21)");
          assertEquals("5", r.facts().get("daysLeft"));
        });
  }

  @Test
  void sniNameSelectsItsCertificate(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.sniPort(), trusted.withServerName(NginxLab.SNI_NAME)),
        r -> {
          assertResult(r, Outcome.UP, null, null);
          assertTrue(r.tls().subject().contains("CN=" + NginxLab.SNI_NAME), r::toString);
        });
  }

  @Test
  void noSniGetsTheDefaultCertificate(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.sniPort(), trusted.withServerName(null)),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.CERTIFICATE, "not valid for 127.0.0.1");
          assertTrue(r.tls().subject().contains("CN=wrong.example.org"), r::toString);
        });
  }

  @Test
  void versionBelowMinimumIsDown(VertxTestContext tc) {
    TlsPolicy p = new TlsPolicy(true, NAME, nginx.caFile().toString(), 21, 7, "TLSv1.3");
    expect(
        tc,
        probe,
        target(nginx.tls12Port(), p),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.TLS, "negotiated TLSv1.2, below minimum TLSv1.3");
          assertEquals("TLSv1.2", r.facts().get("protocol"));
        });
  }

  @Test
  void tls12AcceptedAtDefaultMinimum(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.tls12Port(), trusted),
        r -> assertResult(r, Outcome.UP, null, null));
  }

  @Test
  void plainHttpPortIsATlsFailure(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(nginx.httpPort(), trusted),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.TLS, "TLS handshake: TLS handshake failed");
          assertNotNull(r.timings().connectMs());
          assertNull(r.tls());
        });
  }

  @Test
  void closedPortIsRefused(VertxTestContext tc) {
    expect(
        tc,
        probe,
        target(Ports.free(), trusted),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.REFUSED, "connect: connection refused"));
  }
}
