package io.quorate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The harness's handle on one {@link ProbeChild} JVM: it sends commands, reads CPU time of the
 * child from {@code /proc/<pid>/stat} right before "go" and right after "done", and ends the child
 * by its PID.
 */
final class QuorateChild implements AutoCloseable {
  /**
   * The agent's JVM flags for every measured child: a 256 MB heap cap (the issue 8 RSS budget), the
   * serial collector (one agent, 2 cores: no parallel GC threads), no perf-data file, IPv4.
   */
  static final List<String> JVM_FLAGS =
      List.of(
          "-Xms64m",
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:-UsePerfData",
          "-Djava.net.preferIPv4Stack=true");

  /** Longest wait for one answer line of the child (a whole warm-up or measured window). */
  static final long ANSWER_LIMIT_SECONDS = 300;

  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  /** One measured window: child wall time, UP count, outcome counts, child CPU. */
  record Window(long wallNanos, int up, String outcomes, long cpuMs) {}

  private QuorateChild(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::readLines, "probe-child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the child with {@link #JVM_FLAGS}, its stderr into {@code log}; waits for "ready". */
  static QuorateChild start(LabAddress lab, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(flightRecording(log));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ProbeChild.class.getName()));
    cmd.addAll(lab.toArgs());
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      QuorateChild child = new QuorateChild(p);
      child.expect("ready");
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the probe child", e);
    }
  }

  /**
   * With {@code -Dbench.jfr=DIR}, a JFR recording of the whole child (profile settings) written to
   * {@code DIR/<log name>.jfr} when it exits; none otherwise. Profiling costs CPU: figures of a
   * profiled run are not comparable with unprofiled ones.
   */
  static List<String> flightRecording(Path log) {
    String dir = System.getProperty("bench.jfr");
    if (dir == null || dir.isBlank()) {
      return List.of();
    }
    Path file = Path.of(dir).toAbsolutePath().resolve(log.getFileName() + ".jfr");
    return List.of("-XX:StartFlightRecording=settings=profile,filename=" + file);
  }

  long pid() {
    return process.pid();
  }

  /** Sends the next window's job: the child runs {@code warm} probes and waits for "go". */
  void prepare(Kind kind, int n, int c, int warm) {
    send("run " + kind.id() + " " + n + " " + c + " " + warm);
    expect("warm");
  }

  /** Runs the prepared window, with the child's CPU read right before "go" and after "done". */
  Window measure() {
    long cpu0 = ProcStat.cpuMillis(pid());
    send("go");
    String done = expect("done");
    long cpu = ProcStat.cpuMillis(pid()) - cpu0;
    String[] f = done.split(" ", 4);
    return new Window(Long.parseLong(f[1]), Integer.parseInt(f[2]), f[3], cpu);
  }

  private void send(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("probe child gone", e);
    }
  }

  /**
   * The next line, which must start with {@code word}; fails after {@link #ANSWER_LIMIT_SECONDS}.
   */
  private String expect(String word) {
    try {
      String line = null;
      for (long s = 0; line == null && s < ANSWER_LIMIT_SECONDS && process.isAlive(); s++) {
        line = lines.poll(1, TimeUnit.SECONDS);
      }
      line = line == null ? lines.poll() : line; // the last words of a child that just ended
      if (line == null || !line.startsWith(word)) {
        throw new IllegalStateException("probe child: expected " + word + ", got " + line);
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void readLines() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (!l.startsWith("[")) { // JVM unified logging (JFR prints its start-up there)
          lines.add(l);
        }
      }
    } catch (IOException e) {
      lines.add("child stdout closed: " + e);
    }
  }

  /** "exit", then SIGTERM and SIGKILL by PID if it has not ended within five seconds each. */
  @Override
  public void close() {
    try {
      send("exit");
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (UncheckedIOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
