package io.quorate.bench;

import io.quorate.config.Target;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.dns.DnsProbe;
import io.quorate.testsupport.Bind9Lab;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

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
      Target t = BenchTargets.dns(bind.port(), transport);
      ProbeLoad.run(
          probe, t, ProcCpu.warmup(Math.min(n, 2_000)), concurrency); // warm-up (JIT, BIND caches)
      long self = ProcessHandle.current().pid();
      long cpu0 = ProcStat.cpuMillis(self);
      ProcCpu proc0 = ProcCpu.now();
      long bindCpu0 = ProcStat.cpuMillis(bind.pid());
      ProbeLoad.Result s = ProbeLoad.run(probe, t, n, concurrency);
      double secs = s.wallNanos() / 1e9;
      double cpuMs = ProcStat.cpuMillis(self) - cpu0;
      double bindMs = ProcStat.cpuMillis(bind.pid()) - bindCpu0;
      System.out.printf(
          "transport=%s probes=%d concurrency=%d up=%d notUp=%d%n",
          transport, n, concurrency, s.up(), n - s.up());
      System.out.printf("elapsed=%.2fs rate=%.0f probes/s%n", secs, s.perSecond());
      System.out.printf(
          "prober CPU %.3f ms/probe (%.0f%% of a core); named CPU %.3f ms/probe%n",
          cpuMs / n, 100 * cpuMs / 1000 / secs, bindMs / n);
      System.out.printf("mean totalMs=%.3f, p99 totalMs=%.3f%n", s.meanMs(), s.quantileMs(0.99));
      System.out.println("outcomes: " + s.outcomes());
      System.out.println("prober " + ProcCpu.now().since(proc0, n));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
