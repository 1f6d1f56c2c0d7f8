package io.quorate.bench;

import io.quorate.config.DnsCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.dns.DnsProbe;
import io.quorate.testsupport.Bind9Lab;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many DNS probes per second one {@link DnsProbe} sustains against a local BIND 9, and the
 * prober's CPU per probe. Not a test (surefire does not run it): a bounded main.
 *
 * <pre>
 * mvn -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.quorate.bench.DnsProbeThroughput [udp|tcp] [probes] [concurrency]
 * </pre>
 */
public final class DnsProbeThroughput {
  private DnsProbeThroughput() {}

  public static void main(String[] args) throws Exception {
    String transport = args.length > 0 ? args[0] : "udp";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    Vertx vertx = ProcCpu.vertx();
    try (Bind9Lab bind = Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, ""))) {
      DnsProbe probe = new DnsProbe(ProbeContext.of(vertx));
      DnsCheck check =
          new DnsCheck(
              "rr.example.test",
              "A",
              transport,
              null,
              true,
              false,
              new DnsCheck.AnswerAssertions(null, null, 4, true, null, null),
              null);
      Target t =
          new Target(
              "bench",
              ProbeType.DNS,
              null,
              "127.0.0.1",
              bind.port(),
              10_000,
              2_000,
              null,
              2,
              2,
              check);
      run(probe, t, ProcCpu.warmup(Math.min(n, 2_000)), concurrency); // warm-up (JIT, caches)
      ProcessHandle named = ProcessHandle.of(bind.pid()).orElseThrow();
      ProcCpu proc0 = ProcCpu.now();
      Duration cpu0 = cpu(ProcessHandle.current());
      Duration bindCpu0 = cpu(named);
      long t0 = System.nanoTime();
      Stats s = run(probe, t, n, concurrency);
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpuMs = cpu(ProcessHandle.current()).minus(cpu0).toNanos() / 1e6;
      double bindMs = cpu(named).minus(bindCpu0).toNanos() / 1e6;
      System.out.printf(
          "transport=%s probes=%d concurrency=%d up=%d notUp=%d%n",
          transport, n, concurrency, s.up.sum(), s.other.sum());
      System.out.printf("elapsed=%.2fs rate=%.0f probes/s%n", secs, n / secs);
      System.out.printf(
          "prober CPU %.3f ms/probe (%.0f%% of a core); named CPU %.3f ms/probe%n",
          cpuMs / n, 100 * cpuMs / 1000 / secs, bindMs / n);
      System.out.println("prober " + ProcCpu.now().since(proc0, n));
      System.out.printf("mean totalMs=%.3f, p99 totalMs=%.3f%n", s.mean(), s.p99());
      if (s.firstFailure != null) {
        System.out.println("first failure: " + s.firstFailure);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static Duration cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Per-run counters; latencies kept for a p99. */
  private static final class Stats {
    final LongAdder up = new LongAdder();
    final LongAdder other = new LongAdder();
    final List<Double> totals = new ArrayList<>();
    volatile ProbeResult firstFailure;

    synchronized void add(ProbeResult r) {
      (r.isUp() ? up : other).increment();
      if (!r.isUp() && firstFailure == null) {
        firstFailure = r;
      }
      totals.add(r.timings().totalMs());
    }

    synchronized double mean() {
      return totals.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    synchronized double p99() {
      List<Double> sorted = new ArrayList<>(totals);
      sorted.sort(null);
      return sorted.isEmpty() ? 0 : sorted.get((int) (sorted.size() * 0.99));
    }
  }

  /** {@code concurrency} chains, each starting its next probe when the previous one ends. */
  private static Stats run(DnsProbe probe, Target t, int n, int concurrency) throws Exception {
    Stats s = new Stats();
    AtomicInteger started = new AtomicInteger();
    List<Future<Void>> chains = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      chains.add(chain(probe, t, n, started, s));
    }
    Future.all(chains).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    return s;
  }

  private static Future<Void> chain(
      DnsProbe probe, Target t, int n, AtomicInteger started, Stats s) {
    if (started.getAndIncrement() >= n) {
      return Future.succeededFuture();
    }
    return probe
        .run(t)
        .compose(
            r -> {
              s.add(r);
              return chain(probe, t, n, started, s);
            });
  }
}
