package io.quorate.probe.mail;

import static io.quorate.probe.mail.MailPlay.assertDown;
import static io.quorate.probe.mail.MailTargets.imap;
import static io.quorate.probe.mail.MailTargets.login;
import static io.quorate.probe.mail.MailTargets.trusting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Login;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeAssert;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.DovecotLab;
import io.quorate.testsupport.SharedLabs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The IMAP probe against a real Dovecot 2.3: STARTTLS, IMAPS, LOGIN good and bad, SELECT. */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class ImapProbeDovecotTest {
  private static DovecotLab lab;
  private static TlsPolicy trusted;
  private static final Login GOOD = login("probe", DovecotLab.PASSWORD);

  @BeforeAll
  static void useSharedLab(DovecotLab shared) {
    lab = shared;
    trusted = trusting(lab.caFile(), DovecotLab.CERT_NAME);
  }

  @Test
  void starttlsWithoutLoginIsUp(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        imap(lab.imapPort, TlsMode.STARTTLS, null, null, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertTrue(r.facts().get("banner").startsWith("* OK"), r.facts().toString());
          assertEquals("ok", r.facts().get("starttls"));
          assertNotNull(r.tls());
          assertTrue(r.facts().get("capabilities").contains("IMAP4REV1"));
        });
  }

  @Test
  void starttlsLoginAndSelectInboxIsUp(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        imap(lab.imapPort, TlsMode.STARTTLS, GOOD, "INBOX", trusted),
        r -> assertEquals(Outcome.UP, r.outcome(), r.detail()));
  }

  @Test
  void implicitTlsLoginAndSelectIsUp(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        imap(lab.imapsPort, TlsMode.IMPLICIT, GOOD, null, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertNotNull(r.tls());
          assertNull(r.facts().get("starttls"));
        });
  }

  @Test
  void badPasswordIsDownAuth(Vertx vertx, VertxTestContext tc) {
    Login bad = login("probe", "wrong");
    probe(
        vertx,
        tc,
        imap(lab.imapsPort, TlsMode.IMPLICIT, bad, null, trusted),
        r -> assertDown(r, ErrorKind.AUTH, "LOGIN: login rejected: q2 NO"));
  }

  @Test
  void missingMailboxIsDownAssertion(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        imap(lab.imapPort, TlsMode.STARTTLS, GOOD, "No such box", trusted),
        r ->
            assertDown(
                r,
                ErrorKind.ASSERTION,
                "SELECT: SELECT No such box failed: q5 NO Mailbox doesn't exist"));
  }

  @Test
  void wrongNameIsDownCertificateBeforeLogin(Vertx vertx, VertxTestContext tc) {
    TlsPolicy wrong = trusting(lab.caFile(), "imap.other.test");
    probe(
        vertx,
        tc,
        imap(lab.imapPort, TlsMode.STARTTLS, GOOD, null, wrong),
        r -> assertDown(r, ErrorKind.CERTIFICATE, "TLS handshake: certificate is not valid for"));
  }

  @Test
  void opportunisticUpgradesAndLogsIn(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        imap(lab.imapPort, TlsMode.OPPORTUNISTIC, GOOD, null, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("ok", r.facts().get("starttls"));
        });
  }

  private static void probe(Vertx vertx, VertxTestContext tc, Target t, Consumer<ProbeResult> c) {
    ProbeAssert.expect(tc, new ImapProbe(ProbeContext.of(vertx)), t, c);
  }
}
