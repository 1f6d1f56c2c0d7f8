package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.cli.QuorateCommand;
import io.quorate.testsupport.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code quorate demo --scripted}, the README's first command's story, run exactly as a user runs
 * it (through the CLI), on free ports: exit code 0 means every step was seen in every region's DNS
 * answer over the wire.
 */
class DemoScriptedTest {

  @Test
  @Timeout(300)
  void theScriptedStoryHappensAsExpected() {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(new TeeStream(buf, saved), true, StandardCharsets.UTF_8));
      code =
          QuorateCommand.commandLine()
              .execute(
                  "demo",
                  "--scripted",
                  "--api-port",
                  String.valueOf(Ports.freeRange(3)),
                  "--dns-port",
                  String.valueOf(Ports.freeRange(3)),
                  "--web-port",
                  String.valueOf(Ports.freeRange(1)),
                  "--smtp-port",
                  String.valueOf(Ports.freeRange(1)),
                  "--imap-port",
                  String.valueOf(Ports.freeRange(1)),
                  "--pop3-port",
                  String.valueOf(Ports.freeRange(1)),
                  "--dns-pair-port",
                  String.valueOf(Ports.freeRange(1)));
    } finally {
      System.setOut(saved);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    assertTrue(out.contains("The story happened as expected."), out);
    assertTrue(out.contains("ok  web-2 removed from www.demo.test in every region"), out);
    assertTrue(out.contains("ok  fail open"), out);
    assertTrue(
        out.contains("ok  us-east's public /status.json shows Web server 2 DOWN, as an incident"),
        out);
    assertTrue(!out.contains("FAIL"), out);
  }

  /** Keeps the story visible in the test log while capturing it. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] x, int off, int len) throws java.io.IOException {
      a.write(x, off, len);
      b.write(x, off, len);
    }
  }
}
