package io.quorate.bench;

import io.quorate.config.HttpCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.http.HttpProbe;
import io.quorate.testsupport.NginxLab;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
      Target plain = target(nginx.httpPort(), false, trusted);
      Target tls = target(nginx.goodPort(), true, trusted);
      for (Target t : List.of(plain, tls)) {
        if (!ProcCpu.wanted(t.check(HttpCheck.class).https() ? "https" : "http")) {
          continue;
        }
        run(probe, t, ProcCpu.warmup(Math.max(1, n / 10)), c); // warm-up: JIT, SSL context
        ProcCpu proc0 = ProcCpu.now();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        Map<String, Integer> outcomes = run(probe, t, n, c);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (cpuNanos() - cpu0) / 1e6;
        System.out.printf(
            "%s: %d probes, concurrency %d: %.0f probes/s, %.3f ms CPU/probe," + " outcomes %s%n",
            t.check(HttpCheck.class).https() ? "https" : "http",
            n,
            c,
            n / secs,
            cpuMs / n,
            outcomes);
        System.out.println("  " + ProcCpu.now().since(proc0, n));
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static Target target(int port, boolean https, TlsPolicy policy) {
    HttpCheck check =
        new HttpCheck(
            https,
            "www.example.test",
            "GET",
            "/health",
            Map.of(),
            List.of(),
            "ok",
            null,
            List.of(),
            HttpCheck.DEFAULT_MAX_BODY_BYTES,
            false,
            HttpCheck.DEFAULT_MAX_REDIRECTS,
            policy);
    return new Target(
        "bench", ProbeType.HTTP, null, "127.0.0.1", port, 10_000, 5_000, null, 2, 2, check);
  }

  /** Runs {@code n} probes with {@code c} lanes, each lane one probe after another. */
  private static Map<String, Integer> run(HttpProbe probe, Target t, int n, int c)
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    Future<?>[] lanes = new Future<?>[c];
    for (int i = 0; i < c; i++) {
      lanes[i] = lane(probe, t, n, started, outcomes);
    }
    Future.all(List.of(lanes)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    return outcomes;
  }

  private static Future<Void> lane(
      HttpProbe probe, Target t, int n, AtomicInteger started, Map<String, Integer> outcomes) {
    if (started.getAndIncrement() >= n) {
      return Future.succeededFuture();
    }
    return probe
        .run(t)
        .compose(
            r -> {
              outcomes.merge(key(r), 1, Integer::sum);
              return lane(probe, t, n, started, outcomes);
            });
  }

  private static String key(ProbeResult r) {
    return r.outcome() == Outcome.UP ? "UP" : r.outcome() + "/" + r.errorKind() + " " + r.detail();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
