package io.quorate.bench;

import io.quorate.config.ProbeType;
import io.quorate.config.SmtpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.mail.SmtpProbe;
import io.quorate.testsupport.PostfixLab;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded throughput run of the SMTP probe against the local Postfix lab: N probes with a fixed
 * concurrency, for plaintext EHLO and for STARTTLS, reporting probes/s, this JVM's CPU per probe
 * and latency percentiles. Usage: {@code MailProbeThroughput [n] [concurrency]} (defaults 2000,
 * 32).
 */
public final class MailProbeThroughput {
  private MailProbeThroughput() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    Vertx vertx = ProcCpu.vertx();
    try (PostfixLab lab = PostfixLab.start()) {
      SmtpProbe probe = new SmtpProbe(ProbeContext.of(vertx));
      TlsPolicy tls =
          TlsPolicy.DEFAULT.withCaFile(lab.caFile().toString()).withServerName(PostfixLab.HOSTNAME);
      for (TlsMode mode : List.of(TlsMode.NONE, TlsMode.STARTTLS)) {
        if (!ProcCpu.wanted(mode.wireName())) {
          continue;
        }
        Target t =
            new Target(
                "bench-" + mode.wireName(),
                ProbeType.SMTP,
                null,
                "127.0.0.1",
                lab.smtpPort,
                10_000,
                5_000,
                null,
                2,
                2,
                new SmtpCheck(mode, null, false, null, tls));
        run(vertx, probe, t, ProcCpu.warmup(Math.max(100, n / 10)), concurrency); // warm-up
        report(mode.wireName(), run(vertx, probe, t, n, concurrency), n, concurrency);
      }
    } finally {
      vertx.close().await();
    }
  }

  private record Run(double wallMs, double cpuMs, double[] totals, int up, List<String> errors) {}

  private static Run run(Vertx vertx, SmtpProbe probe, Target t, int n, int concurrency) {
    AtomicInteger next = new AtomicInteger();
    double[] totals = new double[n];
    List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger up = new AtomicInteger();
    ProcCpu proc0 = ProcCpu.now();
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(worker(probe, t, n, next, totals, up, errors));
    }
    Future.all(workers).await();
    System.out.println("  " + ProcCpu.now().since(proc0, n));
    return new Run(
        (System.nanoTime() - t0) / 1e6, (cpuNanos() - cpu0) / 1e6, totals, up.get(), errors);
  }

  private static Future<Void> worker(
      SmtpProbe probe,
      Target t,
      int n,
      AtomicInteger next,
      double[] totals,
      AtomicInteger up,
      List<String> errors) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return Future.succeededFuture();
    }
    return probe
        .run(t)
        .compose(
            r -> {
              record(r, i, totals, up, errors);
              return worker(probe, t, n, next, totals, up, errors);
            });
  }

  private static void record(
      ProbeResult r, int i, double[] totals, AtomicInteger up, List<String> errors) {
    totals[i] = r.timings().totalMs();
    if (r.outcome() == Outcome.UP) {
      up.incrementAndGet();
    } else if (errors.size() < 5) {
      errors.add(r.errorKind() + " " + r.detail());
    }
  }

  private static void report(String name, Run r, int n, int concurrency) {
    double[] s = r.totals().clone();
    Arrays.sort(s);
    long over40 = Arrays.stream(s).filter(x -> x > 40).count();
    System.out.printf(
        "%-9s n=%d c=%d up=%d  %.0f probes/s  cpu %.2f ms/probe  "
            + "p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  >40ms %.0f%%  errors %s%n",
        name,
        n,
        concurrency,
        r.up(),
        n / (r.wallMs() / 1000),
        r.cpuMs() / n,
        s[n / 2],
        s[n * 9 / 10],
        s[n * 99 / 100],
        100.0 * over40 / n,
        r.errors());
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
