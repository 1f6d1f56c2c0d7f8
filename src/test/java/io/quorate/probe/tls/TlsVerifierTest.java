package io.quorate.probe.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.testsupport.TestTls;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsVerifier} with certificates from a throw-away CA and a fixed clock. The clock is "now"
 * at class start because the chain check (PKIX, JVM trust manager) uses real time: see the note on
 * {@link #expiryUsesTheInjectedClock}.
 */
class TlsVerifierTest {
  private static final String NAME = "www.example.test";
  private static final List<String> NAMES = List.of(NAME, "127.0.0.1");
  private static final Instant NOW = Instant.now();

  @TempDir static Path dir;
  private static TestTls ca;
  private static TestTls otherCa;
  private static final TlsVerifier verifier = new TlsVerifier(Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeAll
  static void cas() {
    ca = TestTls.newCa(dir.resolve("ca"));
    otherCa = TestTls.newCa(dir.resolve("other"));
  }

  private static List<Certificate> leaf(
      String base, List<String> names, Duration fromNow, Duration untilNow) {
    return List.of(
        ca.issue(base, names, NOW.plus(fromNow), NOW.plus(untilNow)).cert(), ca.caCert());
  }

  private static List<Certificate> valid() {
    return leaf("valid", NAMES, Duration.ofDays(-1), Duration.ofDays(90));
  }

  private static TlsPolicy trusted() {
    return TlsPolicy.DEFAULT.withCaFile(ca.caFile().toString());
  }

  private static TlsVerifier.Judgement judge(List<Certificate> chain, TlsPolicy p) {
    return verifier.judge(chain, null, p, NAME);
  }

  private static void assertJudgement(
      TlsVerifier.Judgement j, Outcome o, ErrorKind k, String detailPart) {
    assertEquals(o, j.outcome(), j::toString);
    assertEquals(k, j.errorKind(), j::toString);
    assertTrue(j.detail().contains(detailPart), j::toString);
  }

  @Test
  void validAndTrustedIsUpWithInfo() {
    TlsVerifier.Judgement j = judge(valid(), trusted());
    assertJudgement(j, Outcome.UP, null, "");
    assertEquals(89, j.info().daysLeft());
    assertTrue(j.info().subject().contains("CN=" + NAME), j::toString);
    assertTrue(j.info().issuer().contains("Quorate Test CA"), j::toString);
  }

  @Test
  void expiredIsDown() {
    TlsVerifier.Judgement j =
        judge(
            leaf("expired", NAMES, Duration.ofDays(-30), Duration.ofDays(-3).minusHours(1)),
            trusted());
    assertJudgement(j, Outcome.DOWN, ErrorKind.CERTIFICATE, "(3 days ago)");
    assertEquals(-4, j.info().daysLeft(), "whole days left, floored: negative once expired");
  }

  @Test
  void notYetValidIsDown() {
    assertJudgement(
        judge(leaf("future", NAMES, Duration.ofDays(2), Duration.ofDays(90)), trusted()),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "certificate not valid before");
  }

  @Test
  void withinWarnDaysIsDegraded() {
    TlsVerifier.Judgement j =
        judge(
            leaf("warn", NAMES, Duration.ofDays(-1), Duration.ofDays(10).plusHours(1)), trusted());
    assertJudgement(
        j,
        Outcome.DEGRADED,
        ErrorKind.CERTIFICATE,
        "certificate expires in 10 days (warning below 21)");
  }

  @Test
  void withinCriticalDaysIsDown() {
    assertJudgement(
        judge(leaf("crit", NAMES, Duration.ofDays(-1), Duration.ofDays(3).plusHours(1)), trusted()),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "certificate expires in 3 days (critical below 7)");
  }

  @Test
  void expiryUsesTheInjectedClock() {
    // the same certificate, judged 75 days later: within the warning window
    TlsVerifier later = new TlsVerifier(Clock.fixed(NOW.plus(Duration.ofDays(75)), ZoneOffset.UTC));
    TlsVerifier.Judgement j = later.judge(valid(), null, trusted().withVerify(false), NAME);
    assertJudgement(j, Outcome.DEGRADED, ErrorKind.CERTIFICATE, "expires in 14 days");
  }

  @Test
  void wrongNameIsDown() {
    assertJudgement(
        judge(
            leaf("wrong", List.of("other.example.org"), Duration.ofDays(-1), Duration.ofDays(90)),
            trusted()),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "certificate is not valid for www.example.test (names: [other.example.org])");
  }

  @Test
  void policyServerNameOverridesTheServiceName() {
    assertJudgement(
        verifier.judge(valid(), null, trusted().withServerName("127.0.0.1"), "other.example.org"),
        Outcome.UP,
        null,
        "");
    assertJudgement(
        verifier.judge(valid(), null, trusted().withServerName("x.example.org"), NAME),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "not valid for x.example.org");
  }

  @Test
  void wildcardCertificateMatchesOneLabel() {
    List<Certificate> wild =
        leaf("wild", List.of("*.example.test"), Duration.ofDays(-1), Duration.ofDays(90));
    assertJudgement(judge(wild, trusted()), Outcome.UP, null, "");
    assertJudgement(
        verifier.judge(wild, null, trusted(), "example.test"),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "not valid for example.test");
  }

  @Test
  void ipSanMatchesAnIpTarget() {
    assertJudgement(verifier.judge(valid(), null, trusted(), "127.0.0.1"), Outcome.UP, null, "");
    assertJudgement(
        verifier.judge(valid(), null, trusted(), "127.0.0.9"),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "not valid for 127.0.0.9");
  }

  @Test
  void untrustedByTheJvmStoreIsDown() {
    assertJudgement(
        judge(valid(), TlsPolicy.DEFAULT),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "untrusted certificate chain");
  }

  @Test
  void anotherCasFileDoesNotTrustIt() {
    assertJudgement(
        judge(valid(), TlsPolicy.DEFAULT.withCaFile(otherCa.caFile().toString())),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "untrusted certificate chain");
  }

  @Test
  void missingCaFileIsReported() {
    assertJudgement(
        judge(valid(), TlsPolicy.DEFAULT.withCaFile(dir.resolve("nope.pem").toString())),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "cannot load trust anchors");
  }

  @Test
  void verifyFalseAcceptsAnyChainAndNameButStillReports() {
    TlsVerifier.Judgement j =
        judge(
            leaf("wrong2", List.of("other.example.org"), Duration.ofDays(-1), Duration.ofDays(90)),
            TlsPolicy.DEFAULT.withVerify(false));
    assertJudgement(j, Outcome.UP, null, "");
    assertNotNull(j.info());
  }

  @Test
  void verifyFalseStillFailsExpired() {
    assertJudgement(
        judge(
            leaf("expired2", NAMES, Duration.ofDays(-30), Duration.ofDays(-1)),
            TlsPolicy.DEFAULT.withVerify(false)),
        Outcome.DOWN,
        ErrorKind.CERTIFICATE,
        "expired");
  }

  @Test
  void protocolBelowMinimumIsDown() {
    TlsVerifier.Judgement j = verifier.judge(valid(), session("TLSv1.1"), trusted(), NAME);
    assertJudgement(j, Outcome.DOWN, ErrorKind.TLS, "negotiated TLSv1.1, below minimum TLSv1.2");
    assertEquals("TLSv1.1", j.info().protocol());
    assertEquals("TLS_TEST", j.info().cipherSuite());
    assertJudgement(
        verifier.judge(valid(), session("TLSv1.3"), trusted(), NAME), Outcome.UP, null, "");
  }

  @Test
  void noCertificateIsDown() {
    TlsVerifier.Judgement j = judge(List.of(), trusted());
    assertJudgement(j, Outcome.DOWN, ErrorKind.CERTIFICATE, "no server certificate");
    assertNull(j.info());
  }

  /** An SSLSession that only knows its protocol and cipher suite. */
  private static SSLSession session(String protocol) {
    return (SSLSession)
        Proxy.newProxyInstance(
            SSLSession.class.getClassLoader(),
            new Class<?>[] {SSLSession.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "getProtocol" -> protocol;
                  case "getCipherSuite" -> "TLS_TEST";
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }
}
