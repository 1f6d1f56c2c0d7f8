package io.quorate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real agent ({@code quorate run}) in a child JVM with given JVM flags, for the scale
 * benchmark: start-up time to {@code /readyz} 200, its CPU, RSS and threads from /proc, its
 * /metrics, and GC pauses from its {@code -Xlog:gc} file. Stopped by its own PID.
 */
final class AgentProcess implements AutoCloseable {
  private static final long CLK_TCK = 100; // USER_HZ on Linux
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final Process process;
  private final int apiPort;
  private final Path gcLog;
  final double startupMs;

  private AgentProcess(Process process, int apiPort, Path gcLog, double startupMs) {
    this.process = process;
    this.apiPort = apiPort;
    this.gcLog = gcLog;
    this.startupMs = startupMs;
  }

  /**
   * How the agent is started: {@code -jar} the shaded jar named by {@code -Dbench.jar} (as
   * deployed; bench/run builds it), else this JVM's class path (test jars included: about 7 MB more
   * RSS).
   */
  static List<String> launch() {
    String jar = System.getProperty("bench.jar");
    return jar == null
        ? List.of("-cp", System.getProperty("java.class.path"), "io.quorate.Main")
        : List.of("-jar", jar);
  }

  /** Starts the agent and waits (at most 60 s) until /readyz answers 200. */
  static AgentProcess start(List<String> jvmFlags, Path config, Path region, int apiPort, Path dir)
      throws IOException, InterruptedException {
    Path gcLog = dir.resolve("gc.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-Xlog:gc:file=" + gcLog + ":uptime");
    cmd.addAll(launch());
    cmd.add("run");
    cmd.addAll(List.of("--config", config.toString(), "--region", region.toString()));
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve("agent.out").toFile())
            .redirectError(dir.resolve("agent.err").toFile())
            .start();
    URI ready = URI.create("http://127.0.0.1:" + apiPort + "/readyz");
    for (int i = 0; i < 6_000; i++) { // bounded: 60 s of 10 ms polls
      if (!p.isAlive()) {
        throw new IllegalStateException("agent exited " + p.exitValue() + ", see " + dir);
      }
      if (io.quorate.testsupport.HttpStatus.of(ready) == 200) {
        return new AgentProcess(p, apiPort, gcLog, (System.nanoTime() - t0) / 1e6);
      }
      Thread.sleep(10); // polling a child daemon's readiness
    }
    p.destroyForcibly();
    throw new IllegalStateException("agent not ready within 60 s, see " + dir);
  }

  long pid() {
    return process.pid();
  }

  /** utime + stime of the process in milliseconds. */
  double cpuMs() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / CLK_TCK;
  }

  /** A field of /proc/pid/status as a number (VmRSS in kB, Threads). */
  long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /** The whole /metrics text. */
  String metrics() throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + apiPort + "/metrics");
    HttpRequest r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The size in bytes of {@code /metrics} as Prometheus fetches it ({@code gzip}). */
  long metricsGzipBytes() throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + apiPort + "/metrics");
    HttpRequest r =
        HttpRequest.newBuilder(uri)
            .header("Accept-Encoding", "gzip")
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray()).body().length;
  }

  /** GC pauses logged after {@code fromUptimeS}: count, total ms, max ms. */
  double[] gcPauses(double fromUptimeS) throws IOException {
    Pattern line = Pattern.compile("^\\[([0-9.]+)s\\].*Pause.* ([0-9.]+)ms$");
    double n = 0;
    double total = 0;
    double max = 0;
    for (String l : Files.readAllLines(gcLog)) {
      Matcher m = line.matcher(l);
      if (m.find() && Double.parseDouble(m.group(1)) >= fromUptimeS) {
        double ms = Double.parseDouble(m.group(2));
        n++;
        total += ms;
        max = Math.max(max, ms);
      }
    }
    return new double[] {n, total, max};
  }

  /** Seconds since the child JVM started (the -Xlog uptime clock), from /proc. */
  double uptimeS() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    double startS = Long.parseLong(f[19]) / (double) CLK_TCK;
    double nowS = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    return nowS - startS;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
