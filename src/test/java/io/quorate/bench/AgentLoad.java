package io.quorate.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.Agent;
import io.quorate.cli.RunCommand;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole agent (scheduler, probes, state, metrics, API) with N DNS targets against a local BIND 9,
 * run for a bounded time: probes/s sustained, agent CPU, schedule lag, heap and threads. Not a
 * test; a bounded main.
 *
 * <pre>
 * mvn -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx256m -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.quorate.bench.AgentLoad [targets=2000] [intervalMs=1000] [seconds=30]
 * </pre>
 */
public final class AgentLoad {
  private AgentLoad() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Path dir = Files.createTempDirectory("quorate-agentload");
    try (Bind9Lab bind = Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, ""))) {
      StringBuilder y = new StringBuilder("regions: [bench]\ntargets:\n");
      for (int i = 0; i < n; i++) {
        y.append("  - {id: t")
            .append(i)
            .append(", type: dns, address: 127.0.0.1, port: ")
            .append(bind.port())
            .append(", intervalMs: ")
            .append(intervalMs)
            .append(", timeoutMs: ")
            .append(Math.min(2000, intervalMs - 1))
            .append(", dns: {name: rr.example.test, qtype: A, authoritative: true,")
            .append(" answer: {count: 4}}}\n");
      }
      Files.writeString(dir.resolve("q.yaml"), y);
      Files.writeString(
          dir.resolve("r.yaml"),
          "region: bench\nlisten: {host: 127.0.0.1, port: "
              + Ports.free()
              + "}\ndataDir: data\ntokens: []\nscheduler: {maxConcurrentProbes: 256}\n");
      LoadedConfig cfg =
          new ConfigLoader(Map.<String, String>of()::get)
              .load(dir.resolve("q.yaml"), dir.resolve("r.yaml"));
      PrometheusMeterRegistry reg = io.quorate.metrics.Registries.prometheus();
      Vertx vertx = RunCommand.newVertx(reg);
      Agent.standard(vertx, cfg, reg)
          .start()
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      // warm-up: one full interval plus the spread, then measure a window
      Thread.sleep(Math.max(5_000, 2 * intervalMs)); // bench pacing on the main thread
      Snapshot a = Snapshot.take(reg, bind.pid());
      Thread.sleep(seconds * 1000L);
      Snapshot b = Snapshot.take(reg, bind.pid());
      double secs = (b.nanos - a.nanos) / 1e9;
      double probes = b.results - a.results;
      System.out.printf(
          "targets=%d intervalMs=%d window=%.1fs expected=%.0f probes/s%n",
          n, intervalMs, secs, n * 1000.0 / intervalMs);
      System.out.printf(
          "sustained=%.0f probes/s up=%.1f%% skipped=%.0f%n",
          probes / secs, 100 * (b.up - a.up) / probes, b.skipped - a.skipped);
      System.out.printf(
          "agent CPU %.1f%% of one core, %.3f ms/probe; named CPU %.3f ms/probe%n",
          100 * (b.cpuMs - a.cpuMs) / 1000 / secs,
          (b.cpuMs - a.cpuMs) / probes,
          (b.bindCpuMs - a.bindCpuMs) / probes);
      System.out.printf(
          "schedule lag in the window: %.1f%% of runs under 5 ms, %.1f%% under"
              + " 50 ms, %.1f%% under 500 ms%n",
          100 * lagUnder(a, b, 5), 100 * lagUnder(a, b, 50), 100 * lagUnder(a, b, 500));
      System.out.printf(
          "heap used %.0f MB, threads %d, RSS %s%n",
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6,
          ManagementFactory.getThreadMXBean().getThreadCount(),
          rss());
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Fraction of runs in (a, b] whose lag was at most {@code ms}, from the histogram buckets. */
  static double lagUnder(Snapshot a, Snapshot b, double ms) {
    double total = b.lag.count() - a.lag.count();
    CountAtBucket[] ba = a.lag.histogramCounts();
    CountAtBucket[] bb = b.lag.histogramCounts();
    for (int i = 0; i < bb.length; i++) {
      if (bb[i].bucket(TimeUnit.MILLISECONDS) >= ms) {
        return total == 0 ? 1.0 : (bb[i].count() - ba[i].count()) / total;
      }
    }
    return 1.0;
  }

  private record Snapshot(
      long nanos,
      double results,
      double up,
      double skipped,
      double cpuMs,
      double bindCpuMs,
      io.micrometer.core.instrument.distribution.HistogramSnapshot lag) {
    static Snapshot take(PrometheusMeterRegistry reg, long bindPid) {
      double results = 0;
      double up = 0;
      // rendered at scrape time (ProbeFamilies): not a Micrometer meter to find
      for (String l : reg.scrape().split("\n")) {
        if (l.startsWith("quorate_probe_results_total{")) {
          double v = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
          results += v;
          up += l.contains("outcome=\"up\"") ? v : 0;
        }
      }
      Counter sk = reg.find("quorate.scheduler.skipped").counter();
      Timer lag = reg.find("quorate.scheduler.lag").timer();
      return new Snapshot(
          System.nanoTime(),
          results,
          up,
          sk == null ? 0 : sk.count(),
          cpuMillis(ProcessHandle.current()),
          cpuMillis(ProcessHandle.of(bindPid).orElseThrow()),
          lag.takeSnapshot());
    }
  }

  private static double cpuMillis(ProcessHandle p) {
    return p.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e6;
  }

  private static String rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return line.substring(6).trim();
        }
      }
    } catch (Exception e) {
      return "?";
    }
    return "?";
  }
}
