package io.quorate.bench;

import io.quorate.config.Target;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.http.HttpProbe;
import io.quorate.testsupport.NginxLab;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Probes per second and prober CPU per probe, HTTP and HTTPS, against a local nginx (loopback, new
 * connection per probe). Bounded: {@code N} probes per mode (default 10000) with {@code C} in
 * flight (default 64), after a warm-up of {@code N/10}; a third argument {@code noverify} skips the
 * chain and name checks (to separate their cost from the handshake's). nginx runs one worker, so
 * the figures include sharing 2 cores with it.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.quorate.bench.HttpProbeThroughput 10000 64
 * </pre>
 */
public final class HttpProbeThroughput {
  private HttpProbeThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int c = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    Path dir = Files.createTempDirectory("quorate-bench-nginx");
    Vertx vertx = ProcCpu.vertx();
    try (NginxLab nginx = NginxLab.start(dir)) {
      HttpProbe probe = new HttpProbe(ProbeContext.of(vertx));
      boolean verify = args.length < 3 || !args[2].equals("noverify");
      TlsPolicy trusted =
          TlsPolicy.DEFAULT.withCaFile(nginx.caFile().toString()).withVerify(verify);
      long self = ProcessHandle.current().pid();
      for (boolean https : List.of(false, true)) {
        if (!ProcCpu.wanted(https ? "https" : "http")) {
          continue;
        }
        Target t = BenchTargets.http(https ? nginx.goodPort() : nginx.httpPort(), https, trusted);
        ProbeLoad.run(
            probe, t, ProcCpu.warmup(Math.max(1, n / 10)), c); // warm-up: JIT, SSL context
        long cpu0 = ProcStat.cpuMillis(self);
        ProcCpu split0 = ProcCpu.now();
        ProbeLoad.Result r = ProbeLoad.run(probe, t, n, c);
        double cpuMs = ProcStat.cpuMillis(self) - cpu0;
        System.out.printf(
            "%s: %d probes, concurrency %d: %.0f probes/s, %.3f ms CPU/probe, outcomes %s; %s%n",
            https ? "https" : "http",
            n,
            c,
            r.perSecond(),
            cpuMs / n,
            r.outcomes(),
            ProcCpu.now().since(split0, n));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
