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
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Single-probe latency of the SMTP STARTTLS probe against the local Postfix lab at concurrency 1
 * (issue 8): {@code runs} runs of {@code n} probes each after a warm-up, each run reporting p50,
 * p95, p99 and max of the probe's total time, the share over 40 ms (the delayed-ACK stall) and how
 * many delayed ACKs the kernel sent meanwhile ({@code TcpExt DelayedACKs} from /proc/net/netstat:
 * machine-wide, so other traffic adds to it). Usage: {@code StartTlsLatency [n] [runs]} (defaults
 * 300, 3).
 */
public final class StartTlsLatency {
  private StartTlsLatency() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int runs = args.length > 1 ? Math.min(20, Integer.parseInt(args[1])) : 3;
    Vertx vertx = Vertx.vertx();
    try (PostfixLab lab = PostfixLab.start()) {
      SmtpProbe probe = new SmtpProbe(ProbeContext.of(vertx));
      TlsPolicy tls =
          TlsPolicy.DEFAULT.withCaFile(lab.caFile().toString()).withServerName(PostfixLab.HOSTNAME);
      Target t =
          new Target(
              "bench-starttls",
              ProbeType.SMTP,
              null,
              "127.0.0.1",
              lab.smtpPort,
              10_000,
              5_000,
              null,
              2,
              2,
              new SmtpCheck(TlsMode.STARTTLS, null, false, null, tls));
      series(probe, t, 100);
      for (int r = 0; r < runs; r++) {
        long acks0 = delayedAcks();
        double[] s = series(probe, t, n);
        long acks = delayedAcks() - acks0;
        System.out.printf(
            "run %d n=%d c=1  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  >40ms %.1f%%"
                + "  delayed ACKs %d%n",
            r + 1, n, pct(s, 50), pct(s, 95), pct(s, 99), s[n - 1], over(s, 40), acks);
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Sorted total times of {@code n} sequential probes; a probe that is not UP aborts the run. */
  private static double[] series(SmtpProbe probe, Target t, int n) {
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      ProbeResult r = probe.run(t).await();
      if (r.outcome() != Outcome.UP) {
        throw new IllegalStateException("probe " + i + " not UP: " + r);
      }
      s[i] = r.timings().totalMs();
    }
    Arrays.sort(s);
    return s;
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }

  private static double over(double[] s, double ms) {
    return 100.0 * Arrays.stream(s).filter(x -> x > ms).count() / s.length;
  }

  /** The kernel's count of delayed ACKs sent (TcpExt DelayedACKs), or -1 if unreadable. */
  private static long delayedAcks() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith("TcpExt:")) {
        List<String> names = List.of(lines.get(i).split(" "));
        int k = names.indexOf("DelayedACKs");
        return k < 0 ? -1 : Long.parseLong(lines.get(i + 1).split(" ")[k]);
      }
    }
    return -1;
  }
}
