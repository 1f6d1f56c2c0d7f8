package io.quorate.probe.mail;

import static io.quorate.probe.mail.MailPlay.assertDown;
import static io.quorate.testsupport.ScriptedLineServer.awaitBytes;
import static io.quorate.testsupport.ScriptedLineServer.expect;
import static io.quorate.testsupport.ScriptedLineServer.replyThenTls;
import static io.quorate.testsupport.ScriptedLineServer.script;
import static io.quorate.testsupport.ScriptedLineServer.send;
import static io.quorate.testsupport.ScriptedLineServer.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.ProbeContext;
import io.quorate.testsupport.ScriptedLineServer.Step;
import io.quorate.testsupport.TestTls;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plaintext injected around a STARTTLS/STLS upgrade (CVE-2011-0411, RFC 3207 §4, RFC 2595 §3.1) is
 * never read as a post-TLS reply: after the positive reply and before the handshake it ends the run
 * with PROTOCOL; during the handshake (after the client's ClientHello) the client's TLS layer
 * receives it as a TLS record, which it is not, so the handshake fails with TLS.
 */
@ExtendWith(VertxExtension.class)
class MailStarttlsInjectionTest {
  @TempDir static Path tmp;
  private static TestTls.Issued cert;
  private static TlsPolicy trustLocalhost;

  @BeforeAll
  static void certificate() {
    TestTls ca = TestTls.newCa(tmp);
    cert = ca.issueValid("fake", List.of("localhost", "127.0.0.1"));
    trustLocalhost = MailTargets.trusting(ca.caFile(), "localhost");
  }

  @Test
  void imapLineInjectedAfterStarttlsOkIsProtocol(Vertx vertx, VertxTestContext tc) {
    List<Step> steps =
        script(
            send("* OK fake\r\n"),
            expect("q1 CAPABILITY"),
            send("* CAPABILITY IMAP4rev1 STARTTLS\r\nq1 OK done\r\n"),
            expect("q2 STARTTLS"),
            replyThenTls("q2 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n", cert),
            expect("q3 CAPABILITY"),
            send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nq3 OK done\r\n"));
    MailPlay.play(
        vertx,
        tc,
        steps,
        p -> MailTargets.imap(p, TlsMode.STARTTLS, null, null, trustLocalhost),
        (r, s) -> {
          assertDown(r, ErrorKind.PROTOCOL, "TLS handshake: 35 bytes of plaintext");
          assertDown(r, ErrorKind.PROTOCOL, "CVE-2011-0411");
          assertEquals(List.of("q1 CAPABILITY", "q2 STARTTLS"), s.received());
          assertEquals("IMAP4REV1 STARTTLS", r.facts().get("capabilities"));
          assertNull(r.tls());
        },
        new ImapProbe(ProbeContext.of(vertx)));
  }

  @Test
  void pop3LineInjectedAfterStlsOkIsProtocol(Vertx vertx, VertxTestContext tc) {
    List<Step> steps =
        script(
            send("+OK fake\r\n"),
            expect("CAPA"),
            send("+OK\r\nSTLS\r\nUSER\r\n.\r\n"),
            expect("STLS"),
            replyThenTls("+OK Begin TLS\r\n+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n", cert),
            expect("CAPA"),
            send("+OK\r\nUSER\r\n.\r\n"));
    MailPlay.play(
        vertx,
        tc,
        steps,
        p -> MailTargets.pop3(p, TlsMode.STARTTLS, null, trustLocalhost),
        (r, s) -> {
          assertDown(r, ErrorKind.PROTOCOL, "TLS handshake: 26 bytes of plaintext");
          assertDown(r, ErrorKind.PROTOCOL, "CVE-2011-0411");
          assertEquals(List.of("CAPA", "STLS"), s.received());
          assertEquals("STLS USER", r.facts().get("capabilities"));
          assertNull(r.tls());
        },
        new Pop3Probe(ProbeContext.of(vertx)));
  }

  @Test
  void plaintextDuringTheHandshakeFailsTheHandshake(Vertx vertx, VertxTestContext tc) {
    // the server answers STARTTLS, waits for the ClientHello, then "answers" it in plaintext
    List<Step> steps =
        script(
            send("220 fake\r\n"),
            expect("EHLO"),
            send("250-fake.example.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n"),
            expect("STARTTLS"),
            send("220 2.0.0 ready\r\n"),
            awaitBytes(),
            send("250-injected.example\r\n250 AUTH PLAIN\r\n"),
            silence());
    MailPlay.play(
        vertx,
        tc,
        steps,
        p -> MailPlay.smtpTarget(p, TlsMode.STARTTLS, 2_000, trustLocalhost),
        (r, s) -> {
          assertDown(
              r, ErrorKind.TLS, "TLS handshake: TLS handshake failed: not an SSL/TLS record");
          assertEquals(List.of("EHLO probe.quorate.invalid", "STARTTLS"), s.received());
          assertEquals("STARTTLS 8BITMIME", r.facts().get("extensions"));
          assertNull(r.tls());
          assertNull(r.timings().tlsMs());
        },
        new SmtpProbe(ProbeContext.of(vertx)));
  }
}
