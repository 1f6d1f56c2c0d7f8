package io.quorate.probe.mail;

import static io.quorate.probe.mail.MailPlay.assertDown;
import static io.quorate.probe.mail.MailTargets.login;
import static io.quorate.probe.mail.MailTargets.pop3;
import static io.quorate.probe.mail.MailTargets.trusting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** The POP3 probe against a real Dovecot 2.3: STLS, POP3S, USER/PASS good and bad, STAT. */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class Pop3ProbeDovecotTest {
  private static DovecotLab lab;
  private static TlsPolicy trusted;

  @BeforeAll
  static void useSharedLab(DovecotLab shared) {
    lab = shared;
    trusted = trusting(lab.caFile(), DovecotLab.CERT_NAME);
  }

  @Test
  void stlsWithoutLoginIsUp(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        pop3(lab.pop3Port, TlsMode.STARTTLS, null, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertTrue(r.facts().get("banner").startsWith("+OK"));
          assertEquals("ok", r.facts().get("starttls"));
          assertTrue(r.facts().get("capabilities").contains("USER"), r.facts().toString());
          assertNotNull(r.tls());
        });
  }

  @Test
  void stlsLoginAndStatIsUp(Vertx vertx, VertxTestContext tc) {
    Login good = login("probe", DovecotLab.PASSWORD);
    probe(
        vertx,
        tc,
        pop3(lab.pop3Port, TlsMode.STARTTLS, good, trusted),
        r -> assertEquals(Outcome.UP, r.outcome(), r.detail()));
  }

  @Test
  void implicitTlsLoginIsUp(Vertx vertx, VertxTestContext tc) {
    Login good = login("probe2", DovecotLab.PASSWORD);
    probe(
        vertx,
        tc,
        pop3(lab.pop3sPort, TlsMode.IMPLICIT, good, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertNotNull(r.tls());
        });
  }

  @Test
  void badPasswordIsDownAuth(Vertx vertx, VertxTestContext tc) {
    Login bad = login("probe", "wrong");
    probe(
        vertx,
        tc,
        pop3(lab.pop3sPort, TlsMode.IMPLICIT, bad, trusted),
        r -> assertDown(r, ErrorKind.AUTH, "PASS: login rejected: -ERR"));
  }

  @Test
  void plaintextLoginWhenTlsIsExplicitlyNone(Vertx vertx, VertxTestContext tc) {
    Login good = login("probe", DovecotLab.PASSWORD);
    probe(
        vertx,
        tc,
        pop3(lab.pop3Port, TlsMode.NONE, good, trusted),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals(null, r.tls());
        });
  }

  private static void probe(Vertx vertx, VertxTestContext tc, Target t, Consumer<ProbeResult> c) {
    ProbeAssert.expect(tc, new Pop3Probe(ProbeContext.of(vertx)), t, c);
  }
}
