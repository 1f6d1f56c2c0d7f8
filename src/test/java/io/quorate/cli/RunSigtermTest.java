package io.quorate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.store.DataDirLock;
import io.quorate.testsupport.HttpStatus;
import io.quorate.testsupport.LabProcess;
import io.quorate.testsupport.NginxMember;
import io.quorate.testsupport.Ports;
import io.quorate.testsupport.SoloAgentFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quorate run} in a child JVM: on SIGTERM or SIGINT it stops gracefully within {@code
 * --stop-timeout} (one log line per phase, the first naming the signal), closes the store and exits
 * 0 (ADR 0016); a second agent on the same data directory is refused with exit status 3 while the
 * first runs, and starts once the first was killed with SIGKILL (ADR 0020).
 */
@Timeout(180)
class RunSigtermTest {
  @TempDir Path dir;
  NginxMember web;
  Process child;
  final List<Process> others = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    others.add(child);
    for (Process p : others) {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (web != null) {
      web.close();
    }
  }

  /** {@code quorate run} on {@code region} in a child JVM, its output in {@code <name>.log}. */
  private Process run(SoloAgentFiles files, Path region, String name) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.quorate.Main",
                    "run",
                    "--config",
                    files.shared().toString(),
                    "--region",
                    region.toString(),
                    "--stop-timeout",
                    "5s"))
            .redirectOutput(dir.resolve(name + "-out.log").toFile())
            .redirectError(dir.resolve(name + ".log").toFile());
    pb.environment().putAll(files.env());
    return pb.start();
  }

  @Test
  void sigtermStopsGracefullyAndExitsZero() throws Exception {
    web = NginxMember.start(dir.resolve("nginx"));
    SoloAgentFiles files = SoloAgentFiles.write(dir, web.port());
    int port = files.apiPort();
    child = run(files, files.region(), "err");
    awaitReady(port, "err.log");

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
    assertTrue(err.contains("quorate stop signal=TERM limitMs=5000"), err);
    assertTrue(err.contains("quorate stopped exit=0"), err);
  }

  @Test
  void aSecondAgentOnTheDataDirIsRefusedAStaleLockIsNotAndSigintStopsGracefully() throws Exception {
    web = NginxMember.start(dir.resolve("nginx"));
    SoloAgentFiles files = SoloAgentFiles.write(dir, web.port());
    Process first = run(files, files.region(), "first");
    others.add(first);
    child = first;
    awaitReady(files.apiPort(), "first.log");

    // the same dataDir (next to the region file), another API port
    int otherPort = Ports.free();
    Path other = files.region().resolveSibling("solo-again.yaml");
    Files.writeString(
        other,
        Files.readString(files.region()).replace("port: " + files.apiPort(), "port: " + otherPort));
    Process second = run(files, other, "second");
    others.add(second);
    assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second agent exits");
    String refused = read("second.log");
    assertEquals(RunCommand.DATA_DIR_LOCKED, second.exitValue(), refused);
    Path data = dir.resolve("data").toAbsolutePath();
    assertTrue(
        refused.contains(
            "refusing to start: data directory "
                + data
                + " is in use by another Quorate agent (PID "
                + first.pid()
                + ", started "),
        refused);
    assertTrue(!refused.contains("store opened"), "the store was not opened:\n" + refused);
    assertEquals(-1, HttpStatus.of(URI.create("http://127.0.0.1:" + otherPort + "/readyz")));

    first.destroyForcibly(); // SIGKILL: the lock file stays, the OS drops the lock
    assertTrue(first.waitFor(10, TimeUnit.SECONDS));
    assertTrue(
        Files.readString(data.resolve(DataDirLock.FILE_NAME)).startsWith("pid=" + first.pid()),
        "a stale lock file");
    child = run(files, files.region(), "third");
    awaitReady(files.apiPort(), "third.log");

    assertEquals(0L, sigIgn(child.pid()) & 2L, "SIGINT (bit 2) not ignored by the child");
    LabProcess.run(List.of("kill", "-INT", Long.toString(child.pid())), Duration.ofSeconds(5));
    assertTrue(child.waitFor(11, TimeUnit.SECONDS), "exited within the limit");
    String log = read("third.log");
    assertEquals(0, child.exitValue(), log);
    assertTrue(log.contains("quorate stop signal=INT limitMs=5000"), log);
    assertTrue(log.contains("phase=data-dir-lock outcome=ok"), log);
    assertTrue(log.contains("quorate stopped exit=0"), log);
  }

  /** The child's mask of ignored signals ({@code SigIgn} in /proc/PID/status). */
  private static long sigIgn(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("SigIgn:")) {
        return Long.parseLong(line.substring(7).trim(), 16);
      }
    }
    throw new AssertionError("no SigIgn line for " + pid);
  }

  /** Polls the child's /readyz (a child daemon's readiness: bounded, 60 s). */
  private void awaitReady(int port, String log) throws Exception {
    URI ready = URI.create("http://127.0.0.1:" + port + "/readyz");
    for (int i = 0; i < 600; i++) {
      assertTrue(child.isAlive(), () -> "agent exited: " + read(log));
      if (HttpStatus.of(ready) == 200) {
        return;
      }
      Thread.sleep(100); // polling a child daemon's readiness
    }
    throw new AssertionError("not ready within 60 s: " + read(log));
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
