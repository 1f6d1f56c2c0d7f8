package io.quorate.probe.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TcpCheck;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeAssert;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.mail.MailTargets;
import io.quorate.testsupport.Ports;
import io.quorate.testsupport.PostfixLab;
import io.quorate.testsupport.ScriptedLineServer;
import io.quorate.testsupport.SharedLabs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TCP probe: banners from a real Postfix, a binary greeting, a refused port. */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class TcpProbeTest {
  private static PostfixLab lab;

  @BeforeAll
  static void useSharedLab(PostfixLab shared) {
    lab = shared;
  }

  @Test
  void bannerRegexMatchesPostfixGreeting(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        tcp(lab.smtpPort, new TcpCheck("^220 mail\\.example\\.test ESMTP", "QUIT\r\n", null)),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals(
              "220 mail.example.test ESMTP Postfix (quorate lab)", r.facts().get("banner"));
          assertNull(r.tls());
          assertNotNull(r.timings().firstByteMs());
        });
  }

  @Test
  void bannerMismatchIsAssertion(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        tcp(lab.smtpPort, new TcpCheck("^SSH-2\\.0-", null, null)),
        r -> {
          assertEquals(Outcome.DOWN, r.outcome());
          assertEquals(ErrorKind.ASSERTION, r.errorKind());
          assertEquals(
              "banner: banner does not match /^SSH-2\\.0-/: 220 mail.example.test ESMTP"
                  + " Postfix (quorate lab)",
              r.detail());
        });
  }

  @Test
  void implicitTlsBannerIsUpWithCertificateFacts(Vertx vertx, VertxTestContext tc) {
    TlsPolicy tls = MailTargets.trusting(lab.caFile(), PostfixLab.HOSTNAME);
    probe(
        vertx,
        tc,
        tcp(lab.smtpsPort, new TcpCheck("^220 ", null, tls)),
        r -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertNotNull(r.tls());
          assertNotNull(r.timings().tlsMs());
        });
  }

  @Test
  void connectOnlyIsUp(Vertx vertx, VertxTestContext tc) {
    probe(
        vertx,
        tc,
        tcp(lab.smtpPort, new TcpCheck(null, null, null)),
        r -> assertEquals(Outcome.UP, r.outcome(), r.detail()));
  }

  @Test
  void refusedPortIsRefused(Vertx vertx, VertxTestContext tc) {
    int closed = Ports.free(); // nothing listens there
    probe(
        vertx,
        tc,
        tcp(closed, new TcpCheck("^220", null, null)),
        r -> {
          assertEquals(Outcome.DOWN, r.outcome());
          assertEquals(ErrorKind.REFUSED, r.errorKind());
          assertEquals("connect: connection refused", r.detail());
        });
  }

  @Test
  void binaryGreetingWithoutNewlineCanBeMatched(Vertx vertx, VertxTestContext tc) {
    // a MySQL-style handshake packet: length, sequence 0, protocol 10, version, NUL
    String greeting = "J\0\0\0\n8.0.36\0\u00ff\u00fe";
    ScriptedLineServer.start(
            vertx,
            ScriptedLineServer.script(
                ScriptedLineServer.send(greeting), ScriptedLineServer.silence()))
        .compose(
            s ->
                new TcpProbe(ProbeContext.of(vertx))
                    .run(tcp(s.port(), new TcpCheck("^J\\x00\\x00\\x00\\x0a8\\.0\\.", null, null)))
                    .eventually(s::close))
        .onComplete(
            tc.succeeding(
                r ->
                    tc.verify(
                        () -> {
                          assertEquals(Outcome.UP, r.outcome(), r.detail());
                          assertTrue(
                              r.timings().totalMs() < 1_000,
                              "matched without waiting for a line end");
                          tc.completeNow();
                        })));
  }

  private static Target tcp(int port, TcpCheck check) {
    return MailTargets.target(ProbeType.TCP, port, 2_000, check);
  }

  private static void probe(Vertx vertx, VertxTestContext tc, Target t, Consumer<ProbeResult> c) {
    ProbeAssert.expect(tc, new TcpProbe(ProbeContext.of(vertx)), t, c);
  }
}
