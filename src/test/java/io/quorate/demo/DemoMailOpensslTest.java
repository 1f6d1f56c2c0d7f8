package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.LabProcess;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The independent client: {@code openssl s_client -starttls smtp|imap|pop3 -verify_return_error}
 * with the demo CA and host name verification completes the upgrade against the demo mail server.
 */
class DemoMailOpensslTest {
  private static Vertx vertx;
  private static DemoMailServer server;
  private static Path caFile;

  /** The exit code and output of one s_client run. */
  private record Run(int exitCode, String output) {}

  @BeforeAll
  static void start() throws Exception {
    LabProcess.requireTool("openssl");
    vertx = Vertx.vertx();
    caFile = DemoTls.load().writeTo(Files.createTempDirectory("demo-tls")).caFile();
    DemoMailServer.Ports ports = new DemoMailServer.Ports(Ports.free(), Ports.free(), Ports.free());
    server =
        new DemoMailServer(vertx, "mail-1", "127.0.0.31", "mail1.demo.test", ports, DemoTls.load());
    server.start().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @CsvSource({"smtp, QUIT", "imap, z LOGOUT", "pop3, QUIT"})
  void opensslStarttlsVerifiesTheDemoCertificate(String proto, String quit, @TempDir Path dir)
      throws Exception {
    Run r = sClient(proto, "mail1.demo.test", quit, dir);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Verification: OK"), r.output());
    assertTrue(r.output().contains("Verified peername: mail1.demo.test"), r.output());
    assertTrue(r.output().contains("Protocol version: TLSv1.3"), r.output());
  }

  @Test
  void opensslRefusesANameOutsideTheCertificate(@TempDir Path dir) throws Exception {
    Run r = sClient("smtp", "mail.example.test", "QUIT", dir);
    assertNotEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("hostname mismatch"), r.output());
  }

  private static Run sClient(String proto, String name, String quit, Path dir) throws Exception {
    int port =
        switch (proto) {
          case "smtp" -> server.ports().smtp();
          case "imap" -> server.ports().imap();
          default -> server.ports().pop3();
        };
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "openssl",
                "s_client",
                "-starttls",
                proto,
                "-connect",
                "127.0.0.31:" + port,
                "-CAfile",
                caFile.toString(),
                "-verify_return_error",
                "-verify_hostname",
                name,
                "-servername",
                name,
                "-brief"));
    Path in = Files.writeString(dir.resolve("stdin"), quit + "\r\n");
    Path out = dir.resolve("out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      throw new IllegalStateException(
          cmd + " did not finish within 20 s: " + Files.readString(out));
    }
    return new Run(p.exitValue(), Files.readString(out));
  }
}
