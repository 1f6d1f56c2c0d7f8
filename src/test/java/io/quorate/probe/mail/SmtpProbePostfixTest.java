package io.quorate.probe.mail;

import static io.quorate.probe.mail.MailPlay.assertDown;
import static io.quorate.probe.mail.MailTargets.login;
import static io.quorate.probe.mail.MailTargets.smtp;
import static io.quorate.probe.mail.MailTargets.trusting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Login;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeAssert;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.PostfixLab;
import io.quorate.testsupport.SharedLabs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SMTP probe against a real Postfix 3.7 with Dovecot SASL, STARTTLS and SMTPS ports. */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class SmtpProbePostfixTest {
  private static PostfixLab lab;
  private static TlsPolicy trusted;

  @BeforeAll
  static void useSharedLab(PostfixLab shared) {
    lab = shared;
    trusted = trusting(lab.caFile(), PostfixLab.HOSTNAME);
  }

  @Test
  void starttlsRequiredIsUpWithTlsFactsAndPostTlsExtensions(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        smtp(lab.smtpPort, TlsMode.STARTTLS, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertTrue(r.facts().get("banner").startsWith("220 mail.example.test ESMTP Postfix"));
          assertEquals("ok", r.facts().get("starttls"));
          // smtpd_tls_auth_only: AUTH only appears in the EHLO after TLS
          assertTrue(
              r.facts().get("extensions").contains("AUTH PLAIN LOGIN"), r.facts().toString());
          assertNotNull(r.tls());
          assertTrue(r.tls().daysLeft() >= 88, "days left " + r.tls().daysLeft());
          assertTrue(r.tls().subject().contains("mail.example.test"));
          assertNotNull(r.timings().tlsMs());
          assertNotNull(r.timings().connectMs());
          assertNotNull(r.timings().firstByteMs());
        });
  }

  @Test
  void implicitTlsIsUp(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        smtp(lab.smtpsPort, TlsMode.IMPLICIT, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertTrue(r.facts().get("banner").startsWith("220 mail.example.test"));
          assertNotNull(r.tls());
          assertNull(r.facts().get("starttls"));
        });
  }

  @Test
  void opportunisticUsesStarttlsWhenOffered(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        smtp(lab.smtpPort, TlsMode.OPPORTUNISTIC, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("ok", r.facts().get("starttls"));
          assertNotNull(r.tls());
        });
  }

  @Test
  void plaintextOnlyIsUpWithoutTls(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        smtp(lab.smtpPort, TlsMode.NONE, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertNull(r.tls());
          assertTrue(r.facts().get("extensions").contains("STARTTLS"));
          assertTrue(!r.facts().get("extensions").contains("AUTH"));
        });
  }

  @Test
  void labCaIsNotTrustedByTheJvmStore(Vertx vertx, VertxTestContext tc) {
    TlsPolicy jvmTrust = TlsPolicy.DEFAULT.withServerName(PostfixLab.HOSTNAME);
    probe(
        vertx,
        tc,
        smtp(lab.smtpPort, TlsMode.STARTTLS, jvmTrust),
        r -> {
          assertDown(r, ErrorKind.CERTIFICATE, "TLS handshake: untrusted certificate chain");
          assertNotNull(r.tls(), "certificate facts are reported even when it is rejected");
        });
  }

  @Test
  void wrongServerNameIsDownCertificate(Vertx vertx, VertxTestContext tc) {
    TlsPolicy wrong = trusting(lab.caFile(), "other.example.test");
    probe(
        vertx,
        tc,
        smtp(lab.smtpsPort, TlsMode.IMPLICIT, wrong),
        r -> {
          assertDown(r, ErrorKind.CERTIFICATE, "certificate is not valid for other.example.test");
          assertNull(r.facts().get("banner"), "nothing is read after a failed judgement");
        });
  }

  @Test
  void expiringCertificateIsDegraded(Vertx vertx, VertxTestContext tc) {
    TlsPolicy strict =
        new TlsPolicy(true, PostfixLab.HOSTNAME, lab.caFile().toString(), 120, 7, "TLSv1.2");
    probe(
        vertx,
        tc,
        smtp(lab.smtpPort, TlsMode.STARTTLS, strict),
        r -> {
          assertEquals(Outcome.DEGRADED, r.outcome());
          assertEquals(ErrorKind.CERTIFICATE, r.errorKind());
          assertTrue(r.detail().contains("warning below 120"), r.detail());
        });
  }

  @Test
  void requireAuthPassesAfterTls(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        smtp(lab.smtpPort, check(TlsMode.STARTTLS, true, null)),
        r -> assertEquals(Outcome.UP, r.outcome(), r.detail()));
  }

  @Test
  void requireAuthFailsInPlaintextWhereAuthIsNotOffered(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        smtp(lab.smtpPort, check(TlsMode.NONE, true, null)),
        r -> assertDown(r, ErrorKind.ASSERTION, "EHLO: AUTH not offered"));
  }

  @Test
  void goodLoginIsUp(Vertx vertx, VertxTestContext tc) {
    Login good = login("probe@example.test", PostfixLab.PASSWORD);
    probe(
        vertx,
        tc,
        smtp(lab.smtpsPort, check(TlsMode.IMPLICIT, true, good)),
        r -> assertEquals(Outcome.UP, r.outcome(), r.detail()));
  }

  @Test
  void badLoginIsDownAuth(Vertx vertx, VertxTestContext tc) {
    Login bad = login("probe@example.test", "wrong");
    probe(
        vertx,
        tc,
        smtp(lab.smtpPort, check(TlsMode.STARTTLS, false, bad)),
        r -> assertDown(r, ErrorKind.AUTH, "AUTH: authentication failed: 535"));
  }

  private static SmtpCheck check(TlsMode mode, boolean requireAuth, Login login) {
    return new SmtpCheck(mode, "probe.quorate.test", requireAuth, login, trusted);
  }

  private static void probe(Vertx vertx, VertxTestContext tc, Target t, Consumer<ProbeResult> c) {
    ProbeAssert.expect(tc, new SmtpProbe(ProbeContext.of(vertx)), t, c);
  }
}
