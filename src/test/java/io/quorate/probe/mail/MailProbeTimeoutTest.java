package io.quorate.probe.mail;

import static io.quorate.probe.mail.MailPlay.assertDown;
import static io.quorate.probe.mail.MailPlay.assertTook;
import static io.quorate.testsupport.ScriptedLineServer.expect;
import static io.quorate.testsupport.ScriptedLineServer.script;
import static io.quorate.testsupport.ScriptedLineServer.send;
import static io.quorate.testsupport.ScriptedLineServer.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ImapCheck;
import io.quorate.config.Pop3Check;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeContext;
import io.quorate.testsupport.ScriptedLineServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The time limits of line-protocol runs: the TLS handshake is bounded by the probe's remaining time
 * (not Vert.x's 10 s default), and each phase by its own limit ({@link PhaseLimit}), named in the
 * TIMEOUT detail.
 */
@ExtendWith(VertxExtension.class)
class MailProbeTimeoutTest {

  @Test
  void silentImplicitTlsServerTimesOutAtTheProbeDeadline(Vertx vertx, VertxTestContext tc) {
    MailPlay.play(
        vertx,
        tc,
        script(silence()),
        p -> MailPlay.smtpTarget(p, TlsMode.IMPLICIT, 1_500, null),
        (r, s) -> {
          assertDown(
              r, ErrorKind.TIMEOUT, "TLS handshake: timed out waiting for the TLS handshake");
          assertTook(r, 1_400, 2_300);
        },
        new SmtpProbe(ProbeContext.of(vertx)));
  }

  /** The handshake of a 12 s probe may take the 12 s: its configured limit is the time left. */
  @Test
  void handshakeLimitIsTheRemainingTimeNotTheVertxDefault(Vertx vertx, VertxTestContext tc) {
    NetClient client = vertx.createNetClient();
    ScriptedLineServer.start(vertx, script(silence()))
        .compose(s -> handshakeLimit(vertx, client, s).eventually(s::close))
        .onComplete(
            tc.succeeding(
                ms ->
                    tc.verify(
                        () -> {
                          assertTrue(ms[0] > 10_000 && ms[0] <= 12_000, "configured " + ms[0]);
                          // both are rounded to whole milliseconds: allow one of rounding
                          assertTrue(ms[1] <= ms[0] + 1, "left " + ms[1] + " configured " + ms[0]);
                          tc.completeNow();
                        })));
  }

  /** Starts an implicit-TLS run of 12 s; the configured handshake limit and the time left then. */
  private static Future<long[]> handshakeLimit(
      Vertx vertx, NetClient client, ScriptedLineServer s) {
    Target t = MailPlay.smtpTarget(s.port(), TlsMode.IMPLICIT, 12_000, null);
    LineRun run = new LineRun(ProbeContext.of(vertx), t, null);
    Promise<long[]> out = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v ->
                run.connect(client)
                    .compose(
                        session -> {
                          Future<Void> handshake = run.implicitTls();
                          ClientSSLOptions o = session.handshakeOptions();
                          long ms =
                              o.getSslHandshakeTimeoutUnit().toMillis(o.getSslHandshakeTimeout());
                          long left = run.remainingMs();
                          return session
                              .close()
                              .compose(x -> handshake.otherwiseEmpty())
                              .map(x -> new long[] {ms, left});
                        })
                    .onComplete(out));
    return out.future();
  }

  @Test
  void greetingPhaseHasItsOwnLimit(Vertx vertx, VertxTestContext tc) {
    // 2 s probe: the greeting may take 3/4 of it
    MailPlay.play(
        vertx,
        tc,
        script(silence()),
        p -> MailPlay.smtpTarget(p, TlsMode.NONE, 2_000, null),
        (r, s) -> {
          assertEquals("greeting: timed out waiting for the greeting after 1500 ms", r.detail());
          assertDown(r, ErrorKind.TIMEOUT, "greeting");
          assertTook(r, 1_450, 1_900);
        },
        new SmtpProbe(ProbeContext.of(vertx)));
  }

  @Test
  void smtpReplyPhaseHasItsOwnLimit(Vertx vertx, VertxTestContext tc) {
    // 3 s probe: a command reply may take half of it
    MailPlay.play(
        vertx,
        tc,
        script(send("220 fake\r\n"), expect("EHLO"), send("250-fake\r\n"), silence()),
        p -> MailPlay.smtpTarget(p, TlsMode.NONE, 3_000, null),
        (r, s) -> {
          assertDown(
              r, ErrorKind.TIMEOUT, "EHLO: timed out waiting for the EHLO reply after 1500 ms");
          assertTook(r, 1_450, 2_500);
        },
        new SmtpProbe(ProbeContext.of(vertx)));
  }

  @Test
  void imapReplyPhaseIsAtLeastOneSecond(Vertx vertx, VertxTestContext tc) {
    // 1.5 s probe: half would be 750 ms, the floor is 1 s
    MailPlay.play(
        vertx,
        tc,
        script(send("* OK fake\r\n"), expect("q1 CAPABILITY"), send("* CAPABILITY IMAP4rev1\r\n")),
        p ->
            MailTargets.target(
                ProbeType.IMAP, p, 1_500, new ImapCheck(TlsMode.NONE, null, null, null)),
        (r, s) -> {
          assertDown(
              r,
              ErrorKind.TIMEOUT,
              "CAPABILITY: timed out waiting for the CAPABILITY reply after 1000 ms");
          assertTook(r, 950, 1_450);
        },
        new ImapProbe(ProbeContext.of(vertx)));
  }

  @Test
  void pop3LoginPhaseHasItsOwnLimit(Vertx vertx, VertxTestContext tc) {
    // 2 s probe: a login step may take 3/4 of it
    List<ScriptedLineServer.Step> steps =
        script(send("+OK fake\r\n"), expect("CAPA"), send("+OK\r\nUSER\r\n.\r\n"), expect("USER"));
    Pop3Check check = new Pop3Check(TlsMode.NONE, MailTargets.login("probe", "secret"), null);
    MailPlay.play(
        vertx,
        tc,
        steps,
        p -> MailTargets.target(ProbeType.POP3, p, 2_000, check),
        (r, s) -> {
          assertDown(
              r, ErrorKind.TIMEOUT, "USER: timed out waiting for the USER reply after 1500 ms");
          assertTook(r, 1_450, 1_950);
        },
        new Pop3Probe(ProbeContext.of(vertx)));
  }
}
