package io.quorate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.HttpStatus;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.SoloAgentFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quorate run} in a child JVM: on SIGTERM it stops gracefully within {@code --stop-timeout}
 * (one log line per phase), closes the store and exits 0 (ADR 0016).
 */
@Timeout(120)
class RunSigtermTest {
  @TempDir Path dir;
  NginxMember web;
  Process child;

  @AfterEach
  void close() throws Exception {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    if (web != null) {
      web.close();
    }
  }

  @Test
  void sigtermStopsGracefullyAndExitsZero() throws Exception {
    web = NginxMember.start(dir.resolve("nginx"));
    SoloAgentFiles files = SoloAgentFiles.write(dir, web.port());
    int port = files.apiPort();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.quorate.Main",
                    "run",
                    "--config",
                    files.shared().toString(),
                    "--region",
                    files.region().toString(),
                    "--stop-timeout",
                    "5s"))
            .redirectOutput(dir.resolve("out.log").toFile())
            .redirectError(dir.resolve("err.log").toFile());
    pb.environment().putAll(files.env());
    child = pb.start();
    awaitReady(port);

    long t0 = System.nanoTime();
    child.destroy(); // SIGTERM
    assertTrue(child.waitFor(5 + 6, TimeUnit.SECONDS), "exited within the limit");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String err = Files.readString(dir.resolve("err.log"));
    assertEquals(0, child.exitValue(), err);
    assertTrue(ms < 5_000, "stopped in " + ms + " ms");
    for (String phase :
        List.of("leave", "probes", "services", "store-flush", "outbox", "listeners", "database")) {
      assertTrue(err.contains("phase=" + phase + " outcome=ok"), phase + " in\n" + err);
    }
    assertTrue(err.contains("store closed"), err);
    assertTrue(err.contains("quorate stopped exit=0"), err);
  }

  /** Polls the child's /readyz (a child daemon's readiness: bounded, 60 s). */
  private void awaitReady(int port) throws Exception {
    URI ready = URI.create("http://127.0.0.1:" + port + "/readyz");
    for (int i = 0; i < 600; i++) {
      assertTrue(child.isAlive(), () -> "agent exited: " + read("err.log"));
      if (HttpStatus.of(ready) == 200) {
        return;
      }
      Thread.sleep(100); // polling a child daemon's readiness
    }
    throw new AssertionError("not ready within 60 s: " + read("err.log"));
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
