package io.quorate.probe.mail;

import static io.quorate.probe.mail.MailPlay.assertBusy;
import static io.quorate.probe.mail.MailPlay.assertDown;
import static io.quorate.probe.mail.MailTargets.trusting;
import static io.quorate.testsupport.ScriptedLineServer.expect;
import static io.quorate.testsupport.ScriptedLineServer.flood;
import static io.quorate.testsupport.ScriptedLineServer.hangUp;
import static io.quorate.testsupport.ScriptedLineServer.replyThenTls;
import static io.quorate.testsupport.ScriptedLineServer.script;
import static io.quorate.testsupport.ScriptedLineServer.send;
import static io.quorate.testsupport.ScriptedLineServer.silence;
import static io.quorate.testsupport.ScriptedLineServer.trickle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.ScriptedLineServer;
import io.quorate.testsupport.ScriptedLineServer.Step;
import io.quorate.testsupport.TestTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and timing a real mail server will not produce, played by {@link ScriptedLineServer}:
 * silence, trickled and multi-line banners, busy/greylisting greetings, refused or missing
 * STARTTLS, plaintext injected after STARTTLS, endless lines, and a peer closing mid-reply.
 */
@ExtendWith(VertxExtension.class)
class MailProbeFaultTest {
  private static final String EHLO_OK = "250-fake.example.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n";
  @TempDir static Path tmp;
  private static TestTls.Issued cert;
  private static TlsPolicy trustLocalhost;

  @BeforeAll
  static void certificate() {
    TestTls ca = TestTls.newCa(tmp);
    cert = ca.issueValid("fake", List.of("localhost", "127.0.0.1"));
    trustLocalhost = trusting(ca.caFile(), "localhost");
  }

  @Test
  void silenceTimesOutWithinTheDeadline(Vertx vertx, VertxTestContext tc) {
    play(
        vertx,
        tc,
        script(silence()),
        p -> smtpTarget(p, TlsMode.NONE, 400),
        (r, s) -> {
          assertDown(r, ErrorKind.TIMEOUT, "greeting: timed out");
          assertTrue(r.timings().totalMs() < 1_000, "took " + r.timings().totalMs());
          assertNull(r.timings().firstByteMs());
        });
  }

  @Test
  void trickledBannerWithinTheDeadlineIsUp(Vertx vertx, VertxTestContext tc) {
    List<Step> steps = ehloAndQuitAfter(trickle("220 slow\r\n", 50));
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.NONE, 3_000),
        (r, s) -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("220 slow", r.facts().get("banner"));
          assertTrue(r.timings().totalMs() >= 400, "took " + r.timings().totalMs());
        });
  }

  @Test
  void trickledBannerBeyondTheDeadlineTimesOut(Vertx vertx, VertxTestContext tc) {
    List<Step> steps = script(trickle("220 slow.example.test ESMTP ready\r\n", 50));
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.NONE, 600),
        (r, s) -> {
          assertDown(r, ErrorKind.TIMEOUT, "greeting: timed out");
          assertTrue(r.timings().totalMs() < 1_100, "took " + r.timings().totalMs());
        });
  }

  @Test
  void multiLineBannerIsReadWhole(Vertx vertx, VertxTestContext tc) {
    List<Step> steps = ehloAndQuitAfter(send("220-first line\r\n220-second line\r\n220 third\r\n"));
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.NONE, 2_000),
        (r, s) -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("220-first line", r.facts().get("banner"));
          assertEquals(List.of("EHLO probe.quorate.invalid", "QUIT"), s.received());
        });
  }

  @Test
  void greeting421IsBusyNotDown(Vertx vertx, VertxTestContext tc) {
    List<Step> steps = script(send("421 4.3.2 too many connections, try later\r\n"), hangUp());
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.NONE, 2_000),
        (r, s) -> {
          assertBusy(r);
          assertEquals(
              "greeting: server deferred: 421 4.3.2 too many connections, try later", r.detail());
        });
  }

  @Test
  void greeting451IsBusyNotDown(Vertx vertx, VertxTestContext tc) {
    // RFC 5321 §4.2.3: 451 "local error in processing", used by greylisting front ends
    List<Step> steps = script(send("451 4.3.0 try again later\r\n"), hangUp());
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.NONE, 2_000),
        (r, s) -> {
          assertBusy(r);
          assertEquals("greeting: server deferred: 451 4.3.0 try again later", r.detail());
          assertEquals(List.of(), s.received());
        });
  }

  @Test
  void greylisting450IsBusyNotDown(Vertx vertx, VertxTestContext tc) {
    List<Step> steps = script(send("450-4.7.1 greylisted\r\n450 4.7.1 come back later\r\n"));
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.NONE, 2_000),
        (r, s) -> {
          assertBusy(r);
          assertTrue(r.detail().contains("450 4.7.1 come back later"), r.detail());
        });
  }

  @Test
  void greeting554IsDownProtocol(Vertx vertx, VertxTestContext tc) {
    List<Step> steps = script(send("554 5.3.2 no service\r\n"));
    String detail = "greeting: unexpected greeting: 554";
    smtpDown(vertx, tc, steps, TlsMode.NONE, ErrorKind.PROTOCOL, detail);
  }

  @Test
  void starttlsAdvertisedThenRefusedIsDownTls(Vertx vertx, VertxTestContext tc) {
    String detail = "STARTTLS: STARTTLS refused: 454 4.7.0 TLS not available";
    smtpDown(vertx, tc, refusingStarttls(), TlsMode.STARTTLS, ErrorKind.TLS, detail);
  }

  @Test
  void starttlsRefusedIsUpWhenOpportunistic(Vertx vertx, VertxTestContext tc) {
    play(
        vertx,
        tc,
        refusingStarttls(),
        p -> smtpTarget(p, TlsMode.OPPORTUNISTIC, 2_000),
        (r, s) -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("refused: 454 4.7.0 TLS not available", r.facts().get("starttls"));
          assertNull(r.tls());
        });
  }

  @Test
  void starttlsMissingWhenRequiredIsDownProtocol(Vertx vertx, VertxTestContext tc) {
    List<Step> steps =
        script(send("220 fake\r\n"), expect("EHLO"), send("250-fake\r\n250 SIZE\r\n"));
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.STARTTLS, 2_000),
        (r, s) -> {
          assertDown(r, ErrorKind.PROTOCOL, "EHLO: STARTTLS not offered");
          assertEquals(List.of("EHLO probe.quorate.invalid"), s.received());
        });
  }

  @Test
  void plaintextInjectedAfterStarttlsReplyIsRefused(Vertx vertx, VertxTestContext tc) {
    // CVE-2011-0411: the "injected" EHLO reply must not be taken as the post-TLS answer
    List<Step> steps =
        script(
            send("220 fake\r\n"),
            expect("EHLO"),
            send(EHLO_OK),
            expect("STARTTLS"),
            replyThenTls("220 2.0.0 ready\r\n250-injected.example\r\n250 AUTH PLAIN\r\n", cert),
            expect("EHLO"),
            send(EHLO_OK));
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.STARTTLS, 2_000),
        (r, s) -> {
          assertDown(r, ErrorKind.PROTOCOL, "CVE-2011-0411");
          assertTrue(r.detail().startsWith("TLS handshake: 38 bytes of plaintext"), r.detail());
          assertEquals(List.of("EHLO probe.quorate.invalid", "STARTTLS"), s.received());
          assertNull(r.tls());
        });
  }

  @Test
  void cleanStarttlsAgainstTheScriptedServerIsUp(Vertx vertx, VertxTestContext tc) {
    // the control for the injection case: same server, nothing injected
    List<Step> steps =
        script(
            send("220 fake\r\n"),
            expect("EHLO"),
            send(EHLO_OK),
            expect("STARTTLS"),
            replyThenTls("220 2.0.0 ready\r\n", cert),
            expect("EHLO"),
            send("250-fake.example.test\r\n250 AUTH PLAIN\r\n"),
            expect("QUIT"),
            send("221 bye\r\n"));
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, TlsMode.STARTTLS, 3_000),
        (r, s) -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("AUTH PLAIN", r.facts().get("extensions"));
          assertTrue(r.tls() != null && r.timings().tlsMs() != null);
        });
  }

  @Test
  void endlessLineIsRefusedWithoutBufferingIt(Vertx vertx, VertxTestContext tc) {
    long total = 256L * 1024 * 1024;
    play(
        vertx,
        tc,
        script(send("220 "), flood(total)),
        p -> smtpTarget(p, TlsMode.NONE, 5_000),
        (r, s) -> {
          assertDown(r, ErrorKind.PROTOCOL, "greeting: line longer than 4096 bytes");
          assertTrue(r.timings().totalMs() < 2_000, "took " + r.timings().totalMs());
        },
        new SmtpProbe(ProbeContext.of(vertx)),
        s ->
            s.flooded()
                .map(
                    n -> {
                      assertTrue(n < total / 4, "server managed to write " + n + " bytes");
                      return null;
                    }));
  }

  @Test
  void peerClosingMidReplyIsProtocol(Vertx vertx, VertxTestContext tc) {
    List<Step> steps = script(send("220-first\r\n220-sec"), hangUp());
    String detail = "greeting: connection closed by peer in the middle of a line";
    smtpDown(vertx, tc, steps, TlsMode.NONE, ErrorKind.PROTOCOL, detail);
  }

  @Test
  void replyWithTooManyLinesIsProtocol(Vertx vertx, VertxTestContext tc) {
    String many = "250-x\r\n".repeat(150);
    List<Step> steps = script(send("220 fake\r\n"), expect("EHLO"), send(many));
    String detail = "EHLO: SMTP reply longer than 100 lines";
    smtpDown(vertx, tc, steps, TlsMode.NONE, ErrorKind.PROTOCOL, detail);
  }

  @Test
  void imapByeGreetingIsBusy(Vertx vertx, VertxTestContext tc) {
    play(
        vertx,
        tc,
        script(send("* BYE [UNAVAILABLE] overloaded\r\n"), hangUp()),
        p -> MailTargets.imap(p, TlsMode.NONE, null, null, null),
        (r, s) -> assertBusy(r),
        new ImapProbe(ProbeContext.of(vertx)));
  }

  @Test
  void pop3ErrGreetingIsBusy(Vertx vertx, VertxTestContext tc) {
    play(
        vertx,
        tc,
        script(send("-ERR [SYS/TEMP] too many connections\r\n"), hangUp()),
        p -> MailTargets.pop3(p, TlsMode.NONE, null, null),
        (r, s) -> assertBusy(r),
        new Pop3Probe(ProbeContext.of(vertx)));
  }

  @Test
  void credentialsAreNotSentWithoutTlsWhenOpportunisticFallsBack(Vertx vertx, VertxTestContext tc) {
    List<Step> steps =
        script(
            send("+OK fake\r\n"),
            expect("CAPA"),
            send("+OK\r\nUSER\r\n.\r\n"),
            expect("USER"),
            send("+OK\r\n"));
    play(
        vertx,
        tc,
        steps,
        p ->
            MailTargets.pop3(
                p, TlsMode.OPPORTUNISTIC, MailTargets.login("probe", "secret"), trustLocalhost),
        (r, s) -> {
          assertDown(r, ErrorKind.TLS, "USER: refusing to send credentials without TLS");
          assertEquals(List.of("CAPA"), s.received());
        },
        new Pop3Probe(ProbeContext.of(vertx)));
  }

  /** {@code greeting}, then a one-line EHLO answer and a polite QUIT. */
  private static List<Step> ehloAndQuitAfter(Step greeting) {
    return script(
        greeting,
        expect("EHLO"),
        send("250 fake.example.test\r\n"),
        expect("QUIT"),
        send("221 bye\r\n"));
  }

  private static List<Step> refusingStarttls() {
    return script(
        send("220 fake\r\n"),
        expect("EHLO"),
        send(EHLO_OK),
        expect("STARTTLS"),
        send("454 4.7.0 TLS not available\r\n"),
        expect("QUIT"),
        send("221 bye\r\n"));
  }

  private static Target smtpTarget(int port, TlsMode mode, long timeoutMs) {
    return MailPlay.smtpTarget(port, mode, timeoutMs, trustLocalhost);
  }

  /** Plays {@code steps} to the SMTP probe (2 s timeout); the result must be DOWN as given. */
  private void smtpDown(
      Vertx vertx,
      VertxTestContext tc,
      List<Step> steps,
      TlsMode mode,
      ErrorKind kind,
      String detailPart) {
    play(
        vertx,
        tc,
        steps,
        p -> smtpTarget(p, mode, 2_000),
        (r, s) -> assertDown(r, kind, detailPart));
  }

  /** Plays {@code steps} to the SMTP probe. */
  private void play(
      Vertx vertx,
      VertxTestContext tc,
      List<Step> steps,
      IntFunction<Target> t,
      BiConsumer<ProbeResult, ScriptedLineServer> check) {
    MailPlay.play(vertx, tc, steps, t, check, new SmtpProbe(ProbeContext.of(vertx)));
  }

  private void play(
      Vertx vertx,
      VertxTestContext tc,
      List<Step> steps,
      IntFunction<Target> t,
      BiConsumer<ProbeResult, ScriptedLineServer> check,
      Probe probe) {
    MailPlay.play(vertx, tc, steps, t, check, probe);
  }

  private void play(
      Vertx vertx,
      VertxTestContext tc,
      List<Step> steps,
      IntFunction<Target> t,
      BiConsumer<ProbeResult, ScriptedLineServer> check,
      Probe probe,
      Function<ScriptedLineServer, Future<?>> after) {
    MailPlay.play(vertx, tc, steps, t, check, probe, after);
  }
}
