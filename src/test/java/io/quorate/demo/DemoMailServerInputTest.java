package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input to the demo mail server, the same table for SMTP, IMAP and POP3, from a plain blocking
 * client: over-long lines, a thousand pipelined commands, commands injected after STARTTLS in the
 * same packet (RFC 3207 §4), garbage instead of a TLS handshake, STARTTLS twice, silence, and too
 * many sessions. Each case gets the exact farewell and the server keeps serving.
 */
class DemoMailServerInputTest {
  private static final String NAME = "mail1.demo.test";
  private static final int MAX_LINE = DemoMailServer.Limits.DEFAULT.maxLineBytes();
  private static final int MAX_COMMANDS = DemoMailServer.Limits.DEFAULT.maxCommands();

  private static Vertx vertx;
  private static DemoMailServer server;
  private static DemoMailServer strict;
  private static Path caFile;

  /** One protocol's lines for the table. */
  enum Proto {
    SMTP(
        DemoMailServer.Ports::smtp,
        "220 " + NAME + " ESMTP Quorate demo",
        "NOOP",
        "250 OK",
        "502 Command not implemented",
        "421 " + NAME + " line too long, closing connection",
        "421 " + NAME + " too many commands, closing connection",
        "STARTTLS",
        "220 Ready to start TLS",
        "503 TLS already active",
        "EHLO probe.demo.test",
        "250-" + NAME + " greets probe.demo.test",
        "QUIT",
        "221 " + NAME + " closing connection\r\n",
        "421 " + NAME + " idle for too long, closing connection",
        "421 " + NAME + " too many connections, try again later"),
    IMAP(
        DemoMailServer.Ports::imap,
        "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] " + NAME + " Quorate demo IMAP ready",
        "a NOOP",
        "a OK NOOP done",
        "* BAD invalid or missing tag",
        "* BYE line too long",
        "* BYE too many commands",
        "s STARTTLS",
        "s OK Begin TLS negotiation now",
        "s BAD TLS already active",
        "c CAPABILITY",
        "* CAPABILITY IMAP4rev1 LOGINDISABLED",
        "z LOGOUT",
        "* BYE " + NAME + " logging out\r\nz OK LOGOUT done\r\n",
        "* BYE idle for too long",
        "* BYE too many connections, try again later"),
    POP3(
        DemoMailServer.Ports::pop3,
        "+OK " + NAME + " Quorate demo POP3 ready",
        "NOOP",
        "-ERR command not supported by the demo server",
        "-ERR command not supported by the demo server",
        "-ERR line too long",
        "-ERR too many commands",
        "STLS",
        "+OK Begin TLS negotiation",
        "-ERR Command not permitted when TLS active",
        "CAPA",
        "+OK Capability list follows",
        "QUIT",
        "+OK " + NAME + " signing off\r\n",
        "-ERR idle for too long",
        "-ERR too many connections, try again later");

    final ToIntFunction<DemoMailServer.Ports> port;
    final String greeting;
    final String noop;
    final String noopReply;
    final String unknownReply;
    final String tooLong;
    final String tooMany;
    final String startTls;
    final String startTlsReply;
    final String startTlsAgain;
    final String afterTls;
    final String afterTlsReply;
    final String quit;
    final String quitTail;
    final String idle;
    final String busy;

    Proto(
        ToIntFunction<DemoMailServer.Ports> port,
        String greeting,
        String noop,
        String noopReply,
        String unknownReply,
        String tooLong,
        String tooMany,
        String startTls,
        String startTlsReply,
        String startTlsAgain,
        String afterTls,
        String afterTlsReply,
        String quit,
        String quitTail,
        String idle,
        String busy) {
      this.port = port;
      this.greeting = greeting;
      this.noop = noop;
      this.noopReply = noopReply;
      this.unknownReply = unknownReply;
      this.tooLong = tooLong;
      this.tooMany = tooMany;
      this.startTls = startTls;
      this.startTlsReply = startTlsReply;
      this.startTlsAgain = startTlsAgain;
      this.afterTls = afterTls;
      this.afterTlsReply = afterTlsReply;
      this.quit = quit;
      this.quitTail = quitTail;
      this.idle = idle;
      this.busy = busy;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    caFile = DemoTls.load().writeTo(Files.createTempDirectory("demo-tls")).caFile();
    server = mailServer(DemoMailServer.Limits.DEFAULT);
    strict = mailServer(new DemoMailServer.Limits(MAX_LINE, MAX_COMMANDS, 300, 2));
  }

  private static DemoMailServer mailServer(DemoMailServer.Limits limits) throws Exception {
    DemoMailServer.Ports ports = new DemoMailServer.Ports(Ports.free(), Ports.free(), Ports.free());
    DemoMailServer s =
        new DemoMailServer(vertx, "mail-1", "127.0.0.1", NAME, ports, DemoTls.load(), limits);
    s.start().await(10, TimeUnit.SECONDS);
    return s;
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop().await(10, TimeUnit.SECONDS);
    strict.stop().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static RawClient connect(DemoMailServer s, Proto p) throws Exception {
    RawClient c = new RawClient("127.0.0.1", p.port.applyAsInt(s.ports()));
    assertEquals(p.greeting, c.line());
    return c;
  }

  /** The server still greets and answers a fresh session. */
  private static void stillServes(Proto p) throws Exception {
    try (RawClient c = connect(server, p)) {
      c.send(p.noop + "\r\n");
      assertEquals(p.noopReply, c.line());
    }
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void overLongLineGetsTheFarewellAndTheConnectionEnds(Proto p) throws Exception {
    try (RawClient c = connect(server, p)) {
      c.send("A".repeat(2 * MAX_LINE) + "\r\nNOOP\r\n");
      assertEquals(p.tooLong, c.line());
      assertEquals("", c.rest());
    }
    stillServes(p);
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void overLongPartialLineIsNotBufferedUntilItsEnd(Proto p) throws Exception {
    try (RawClient c = connect(server, p)) {
      c.send("B".repeat(MAX_LINE + 2));
      assertEquals(p.tooLong, c.line());
      assertEquals("", c.rest());
    }
    stillServes(p);
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void lineAtTheLimitIsAnswered(Proto p) throws Exception {
    try (RawClient c = connect(server, p)) {
      c.send("C".repeat(MAX_LINE) + "\r\n" + p.noop + "\r\n");
      assertEquals(p.unknownReply, c.line());
      assertEquals(p.noopReply, c.line());
    }
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void thousandPipelinedCommandsGetTheLimitThenTheFarewell(Proto p) throws Exception {
    try (RawClient c = connect(server, p)) {
      c.send((p.noop + "\r\n").repeat(1000));
      for (int i = 0; i < MAX_COMMANDS; i++) {
        assertEquals(p.noopReply, c.line(), "reply " + (i + 1));
      }
      assertEquals(p.tooMany, c.line());
      assertEquals("", c.rest());
    }
    stillServes(p);
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void commandInjectedAfterStarttlsInTheSamePacketIsDiscarded(Proto p) throws Exception {
    try (RawClient c = connect(server, p)) {
      c.send(p.startTls + "\r\n" + p.noop + "\r\n");
      assertEquals(p.startTlsReply, c.line());
      c.startTls(caFile, NAME);
      c.send(p.afterTls + "\r\n");
      assertEquals(p.afterTlsReply, c.line(), "the first answer over TLS is to our command");
      c.send(p.quit + "\r\n");
      String rest = c.rest();
      assertTrue(rest.endsWith(p.quitTail), rest);
      assertFalse(rest.contains(p.noopReply), rest);
      assertFalse(rest.contains("STARTTLS") || rest.contains("STLS"), "not offered after TLS");
    }
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void garbageInsteadOfTheTlsHandshakeEndsTheSessionWithoutAnAnswer(Proto p) throws Exception {
    try (RawClient c = connect(server, p)) {
      c.send(p.startTls + "\r\n");
      assertEquals(p.startTlsReply, c.line());
      c.send(p.noop + "\r\n" + p.noop + "\r\n");
      String rest = c.rest();
      assertFalse(rest.contains(p.noopReply), rest);
      assertFalse(rest.contains(p.unknownReply), rest);
    }
    stillServes(p);
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void starttlsOverTlsIsRefused(Proto p) throws Exception {
    try (RawClient c = connect(server, p)) {
      c.send(p.startTls + "\r\n");
      assertEquals(p.startTlsReply, c.line());
      c.startTls(caFile, NAME);
      c.send(p.startTls + "\r\n");
      assertEquals(p.startTlsAgain, c.line());
    }
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void silentSessionIsClosedAfterTheIdleTimeout(Proto p) throws Exception {
    try (RawClient c = connect(strict, p)) {
      long t0 = System.nanoTime();
      assertEquals(p.idle, c.line());
      assertEquals("", c.rest());
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ms >= 250 && ms < 3_000, "closed after " + ms + " ms");
    }
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  void sessionsBeyondTheLimitAreToldBusy(Proto p) throws Exception {
    try (RawClient a = connect(strict, p);
        RawClient b = connect(strict, p);
        RawClient c = new RawClient("127.0.0.1", p.port.applyAsInt(strict.ports()))) {
      assertEquals(p.busy, c.line());
      assertEquals("", c.rest());
      a.send(p.noop + "\r\n");
      assertEquals(p.noopReply, a.line(), "the admitted sessions still work");
    }
  }

  @Test
  void smtpRejectsMalformedGreetingsAndUnknownCommands() throws Exception {
    try (RawClient c = connect(server, Proto.SMTP)) {
      c.send("EHLO\r\nEHLO bad_name!\r\nHELO x.test\r\nMAIL FROM:<a@b>\r\nRSET\r\n\0\1\2\r\n");
      assertEquals("501 Syntax: EHLO domain", c.line());
      assertEquals("501 Syntax: EHLO domain", c.line());
      assertEquals("250 " + NAME, c.line());
      assertEquals("502 Command not implemented", c.line());
      assertEquals("250 OK", c.line());
      assertEquals("502 Command not implemented", c.line());
    }
  }

  @Test
  void imapAnswersBadTagsAndUnknownCommands() throws Exception {
    try (RawClient c = connect(server, Proto.IMAP)) {
      c.send("\r\n+x NOOP\r\nnotag\r\nt1 LOGIN a b\r\nt2 NOOP extra\r\nt3 capability\r\n");
      assertEquals("* BAD invalid or missing tag", c.line());
      assertEquals("* BAD invalid or missing tag", c.line());
      assertEquals("notag BAD missing command", c.line());
      assertEquals("t1 BAD command not supported by the demo server", c.line());
      assertEquals("t2 BAD NOOP takes no arguments", c.line());
      assertEquals("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", c.line());
      assertEquals("t3 OK CAPABILITY done", c.line());
    }
  }
}
