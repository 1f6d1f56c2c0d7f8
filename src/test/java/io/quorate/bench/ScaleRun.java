package io.quorate.bench;

import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.NginxLab;
import io.quorate.testsupport.PostfixLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 8, items 3 and 6: ONE real agent in a child JVM with small-VM flags, 10,000 targets at a 10
 * s interval against the loopback lab (60 % dns → BIND 9, 30 % http → nginx, 8 % tcp banner and 2 %
 * smtp EHLO → Postfix), for a bounded window. Reports the agent's CPU (% of all cores, from /proc),
 * p99 schedule lag (quorate_scheduler_lag histogram, window delta), RSS (max and end), threads, GC
 * pauses (-Xlog:gc), probe results; then an idle agent (10 dns targets) with the same flags:
 * start-up time to /readyz 200 and RSS.
 *
 * <pre>
 * java -cp $CP io.quorate.bench.ScaleRun [--quick] [--targets 10000] [--seconds 300]
 *     [--flags "-Xmx200m -XX:+UseSerialGC ..."] [--recent observationsPerTarget] [--no-idle]
 * </pre>
 */
public final class ScaleRun {
  /** The recommended flags for a 512 MB VM (docs/benchmarks.md, "Issue 8 — 10,000 targets"). */
  static final String DEFAULT_FLAGS =
      "-Xms16m -Xmx160m -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m"
          + " -XX:ReservedCodeCacheSize=48m -XX:TieredStopAtLevel=1"
          + " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30";

  private ScaleRun() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    boolean quick = o.containsKey("quick");
    int n = Integer.parseInt(o.getOrDefault("targets", "10000"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", quick ? "60" : "300"));
    List<String> flags = List.of(o.getOrDefault("flags", DEFAULT_FLAGS).trim().split("\\s+"));
    Path dir = Files.createTempDirectory("quorate-scale");
    System.out.printf(
        "flags: %s%nlaunch: %s%ntargets=%d window=%ds dir=%s%n",
        flags, System.getProperty("bench.jar", "this JVM's class path"), n, seconds, dir);
    try (Bind9Lab bind = Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, ""));
        NginxLab nginx = NginxLab.start(Files.createDirectories(dir.resolve("nginx")));
        PostfixLab postfix = PostfixLab.start()) {
      Ports ports = new Ports(bind.port(), nginx.httpPort(), postfix.smtpPort);
      int recent = Integer.parseInt(o.getOrDefault("recent", "0"));
      loaded(flags, dir.resolve("load"), ports, n, seconds, recent);
      if (!o.containsKey("no-idle")) {
        idle(flags, dir.resolve("idle"), ports, quick ? 10 : 30);
      }
    }
  }

  /** Lab ports for the target mix. */
  record Ports(int dns, int http, int smtp) {}

  private static void loaded(
      List<String> flags, Path dir, Ports ports, int n, int seconds, int recent) throws Exception {
    int api = io.quorate.testsupport.Ports.free();
    Path q = ScaleConfig.write(dir, ports, n, api, recent);
    try (AgentProcess agent = AgentProcess.start(flags, q, dir.resolve("r.yaml"), api, dir)) {
      System.out.printf("start-up with %d targets: %.0f ms to /readyz 200%n", n, agent.startupMs);
      pace(15_000); // warm-up: one 10 s interval plus the spread
      String m0 = agent.metrics();
      double cpu0 = agent.cpuMs();
      double up0 = agent.uptimeS();
      long t0 = System.nanoTime();
      long rssMax = 0;
      int samples = 0;
      while (System.nanoTime() - t0 < seconds * 1_000_000_000L && samples++ < 100_000) {
        pace(1_000);
        rssMax = Math.max(rssMax, agent.status("VmRSS"));
      }
      double cpu1 = agent.cpuMs();
      double secs = (System.nanoTime() - t0) / 1e9;
      long rssEnd = agent.status("VmRSS");
      long threads = agent.status("Threads");
      long s0 = System.nanoTime();
      String m1 = agent.metrics();
      double scrapeMs = (System.nanoTime() - s0) / 1e6;
      double[] gc = agent.gcPauses(up0);
      int cores = Runtime.getRuntime().availableProcessors();
      double cpuPct = 100 * (cpu1 - cpu0) / 1000 / secs / cores;
      double probes =
          sum(m1, "quorate_probe_results_total{") - sum(m0, "quorate_probe_results_total{");
      double up = upCount(m1) - upCount(m0);
      System.out.printf(
          "window %.0f s: agent CPU %.1f %% of %d cores (%.3f ms/probe), %.0f probes/s, UP %.1f %%,"
              + " skipped %.0f%n",
          secs,
          cpuPct,
          cores,
          (cpu1 - cpu0) / probes,
          probes / secs,
          100 * up / probes,
          sum(m1, "quorate_scheduler_skipped_total{")
              - sum(m0, "quorate_scheduler_skipped_total{"));
      System.out.printf("schedule lag: %s%n", Lag.describe(m0, m1));
      System.out.printf(
          "RSS max %.0f MB, end %.0f MB; threads %d; GC pauses %.0f, total %.0f ms, max %.1f ms%n",
          rssMax / 1024.0, rssEnd / 1024.0, threads, gc[0], gc[1], gc[2]);
      System.out.printf("/metrics: %.1f MB in %.0f ms%n", m1.length() / 1e6, scrapeMs);
      long g0 = System.nanoTime();
      long gzipBytes = agent.metricsGzipBytes();
      System.out.printf(
          "/metrics with Accept-Encoding gzip: %.2f MB in %.0f ms%n",
          gzipBytes / 1e6, (System.nanoTime() - g0) / 1e6);
    }
  }

  private static void idle(List<String> flags, Path dir, Ports ports, int seconds)
      throws Exception {
    int api = io.quorate.testsupport.Ports.free();
    Path q = ScaleConfig.write(dir, ports, 10, api);
    List<Double> startups = new ArrayList<>();
    long rss = 0;
    for (int run = 0; run < 3; run++) {
      try (AgentProcess agent = AgentProcess.start(flags, q, dir.resolve("r.yaml"), api, dir)) {
        startups.add(agent.startupMs);
        if (run == 0) {
          pace(seconds * 1000L);
          rss = agent.status("VmRSS");
        }
      }
    }
    System.out.printf(
        "idle agent (10 targets): start-up to /readyz %s ms (3 starts); RSS after %d s %.0f MB%n",
        startups.stream().map(d -> String.format("%.0f", d)).toList(), seconds, rss / 1024.0);
  }

  static double sum(String metrics, String prefix) {
    double s = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix)) {
        s += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return s;
  }

  private static double upCount(String metrics) {
    double s = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("quorate_probe_results_total{") && line.contains("outcome=\"up\"")) {
        s += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return s;
  }

  /** Bench pacing on the main thread (not synchronisation: the window is wall-clock by design). */
  private static void pace(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i].replaceFirst("^--", "");
      if (List.of("quick", "no-idle").contains(a)) {
        o.put(a, "");
      } else if (i + 1 < args.length) {
        o.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException("missing value: " + Arrays.toString(args));
      }
    }
    return o;
  }
}
