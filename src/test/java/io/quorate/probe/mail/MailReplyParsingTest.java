package io.quorate.probe.mail;

import static io.quorate.testsupport.ScriptedLineServer.expect;
import static io.quorate.testsupport.ScriptedLineServer.script;
import static io.quorate.testsupport.ScriptedLineServer.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.config.TlsMode;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.testsupport.ScriptedLineServer.Step;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replies that are valid but minimal: SMTP lines that are a bare reply code (RFC 5321 §4.2: {@code
 * Reply-code [ SP textstring ] CRLF}), an empty EHLO keyword line, and IMAP/POP3 status lines
 * without text.
 */
@ExtendWith(VertxExtension.class)
class MailReplyParsingTest {

  @Test
  void smtpCodeOnlyLinesAreValidReplies(Vertx vertx, VertxTestContext tc) {
    List<Step> steps =
        script(
            send("220\r\n"),
            expect("EHLO"),
            send("250-fake.example.test\r\n250-PIPELINING\r\n250-\r\n250-8BITMIME\r\n250\r\n"),
            expect("QUIT"),
            send("221\r\n"));
    MailPlay.play(
        vertx,
        tc,
        steps,
        p -> MailPlay.smtpTarget(p, TlsMode.NONE, 2_000, null),
        (r, s) -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("220", r.facts().get("banner"));
          assertEquals("PIPELINING 8BITMIME", r.facts().get("extensions"));
          assertEquals(List.of("EHLO probe.quorate.invalid", "QUIT"), s.received());
        },
        new SmtpProbe(ProbeContext.of(vertx)));
  }

  @Test
  void smtpOneLineEhloWithCodeOnlyIsUpWithNoExtensions(Vertx vertx, VertxTestContext tc) {
    List<Step> steps =
        script(send("220 fake\r\n"), expect("EHLO"), send("250\r\n"), expect("QUIT"));
    MailPlay.play(
        vertx,
        tc,
        steps,
        p -> MailPlay.smtpTarget(p, TlsMode.NONE, 2_000, null),
        (r, s) -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("", r.facts().get("extensions"));
        },
        new SmtpProbe(ProbeContext.of(vertx)));
  }

  @Test
  void imapStatusLinesWithoutTextAreValid(Vertx vertx, VertxTestContext tc) {
    List<Step> steps =
        script(
            send("* OK\r\n"),
            expect("q1 CAPABILITY"),
            send("* CAPABILITY IMAP4rev1\r\nq1 OK\r\n"),
            expect("q2 LOGOUT"),
            send("* BYE\r\nq2 OK\r\n"));
    MailPlay.play(
        vertx,
        tc,
        steps,
        p -> MailTargets.imap(p, TlsMode.NONE, null, null, null),
        (r, s) -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("IMAP4REV1", r.facts().get("capabilities"));
        },
        new ImapProbe(ProbeContext.of(vertx)));
  }

  @Test
  void pop3StatusLinesWithoutTextAreValid(Vertx vertx, VertxTestContext tc) {
    List<Step> steps =
        script(
            send("+OK\r\n"),
            expect("CAPA"),
            send("+OK\r\nUSER\r\n.\r\n"),
            expect("QUIT"),
            send("+OK\r\n"));
    MailPlay.play(
        vertx,
        tc,
        steps,
        p -> MailTargets.pop3(p, TlsMode.NONE, null, null),
        (r, s) -> {
          assertEquals(Outcome.UP, r.outcome(), r.detail());
          assertEquals("USER", r.facts().get("capabilities"));
        },
        new Pop3Probe(ProbeContext.of(vertx)));
  }
}
