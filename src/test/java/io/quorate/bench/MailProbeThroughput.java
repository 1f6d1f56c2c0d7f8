package io.quorate.bench;

import io.quorate.config.Target;
import io.quorate.config.TlsMode;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.mail.SmtpProbe;
import io.quorate.testsupport.PostfixLab;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;

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
      long self = ProcessHandle.current().pid();
      for (TlsMode mode : List.of(TlsMode.NONE, TlsMode.STARTTLS)) {
        if (!ProcCpu.wanted(mode.wireName())) {
          continue;
        }
        Target t = BenchTargets.smtp(lab.smtpPort, mode, tls);
        ProbeLoad.run(probe, t, ProcCpu.warmup(Math.max(100, n / 10)), concurrency); // warm-up
        long cpu0 = ProcStat.cpuMillis(self);
        ProbeLoad.Result r = ProbeLoad.run(probe, t, n, concurrency);
        report(mode.wireName(), r, ProcStat.cpuMillis(self) - cpu0, concurrency);
      }
    } finally {
      vertx.close().await();
    }
  }

  private static void report(String name, ProbeLoad.Result r, double cpuMs, int concurrency) {
    int n = r.n();
    long over40 = Arrays.stream(r.totalsMs()).filter(x -> x > 40).count();
    System.out.printf(
        "%-9s n=%d c=%d up=%d  %.0f probes/s  cpu %.2f ms/probe  "
            + "p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  >40ms %.0f%%  outcomes %s%n",
        name,
        n,
        concurrency,
        r.up(),
        r.perSecond(),
        cpuMs / n,
        r.quantileMs(0.5),
        r.quantileMs(0.9),
        r.quantileMs(0.99),
        100.0 * over40 / n,
        r.outcomes());
  }
}
