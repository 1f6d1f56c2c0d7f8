package io.quorate.bench;

import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.dns.DnsProbe;
import io.quorate.probe.http.HttpProbe;
import io.quorate.probe.mail.ImapProbe;
import io.quorate.probe.mail.Pop3Probe;
import io.quorate.probe.mail.SmtpProbe;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Quorate side of the side-by-side run, in its own JVM so that its CPU is its own: the real
 * probe classes on one Vert.x instance, driven by {@link ProbeLoad}. Arguments: a {@link
 * LabAddress}. Line protocol on stdin/stdout, driven by {@link QuorateChild}:
 *
 * <pre>
 * &lt; run KIND N C WARM     (runs WARM probes, then)  &gt; warm
 * &lt; go                    (runs N probes, then)     &gt; done WALL_NANOS UP OUTCOMES
 * &lt; exit                  (or end of input)
 * </pre>
 */
public final class ProbeChild {
  /** Most commands one child accepts. */
  static final int MAX_COMMANDS = 1_000;

  private ProbeChild() {}

  public static void main(String[] args) throws Exception {
    LabAddress lab = LabAddress.parse(Arrays.asList(args));
    Vertx vertx = Vertx.vertx();
    try {
      Map<Kind, Probe> probes = probes(ProbeContext.of(vertx));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      System.out.println("ready");
      for (int i = 0; i < MAX_COMMANDS; i++) {
        String line = in.readLine();
        if (line == null || line.equals("exit")) {
          return;
        }
        serve(line.split(" "), lab, probes, in);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static Map<Kind, Probe> probes(ProbeContext ctx) {
    Map<Kind, Probe> m = new EnumMap<>(Kind.class);
    HttpProbe http = new HttpProbe(ctx);
    SmtpProbe smtp = new SmtpProbe(ctx);
    m.put(Kind.DNS, new DnsProbe(ctx));
    m.put(Kind.HTTP, http);
    m.put(Kind.HTTPS, http);
    m.put(Kind.SMTP, smtp);
    m.put(Kind.STARTTLS, smtp);
    m.put(Kind.IMAP, new ImapProbe(ctx));
    m.put(Kind.POP3, new Pop3Probe(ctx));
    return m;
  }

  /** JIT compilation time a warm-up batch may still add before the compiler counts as idle. */
  static final long JIT_IDLE_MS = 5;

  /** Batches after the counted warm-up, at most, while the compiler keeps working. */
  static final int MAX_EXTRA_BATCHES = 12;

  /**
   * Runs further warm-up batches until one adds less than {@link #JIT_IDLE_MS} of compilation: a
   * long-running agent is measured at steady state, not while C1/C2 still compile its probe path (a
   * faster probe finishes a fixed-count warm-up sooner, with the compiler still busy). Returns how
   * many batches ran.
   */
  static int untilJitIdle(Probe probe, io.quorate.config.Target target, int batch, int c) {
    java.lang.management.CompilationMXBean jit =
        java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return 0;
    }
    for (int i = 1; i <= MAX_EXTRA_BATCHES; i++) {
      long before = jit.getTotalCompilationTime();
      ProbeLoad.run(probe, target, batch, c);
      if (jit.getTotalCompilationTime() - before < JIT_IDLE_MS) {
        return i;
      }
    }
    return MAX_EXTRA_BATCHES;
  }

  private static void serve(
      String[] cmd, LabAddress lab, Map<Kind, Probe> probes, BufferedReader in) throws IOException {
    if (cmd.length != 5 || !cmd[0].equals("run")) {
      throw new IllegalArgumentException("bad command: " + String.join(" ", cmd));
    }
    Kind kind = Kind.parse(cmd[1]);
    int n = Integer.parseInt(cmd[2]);
    int c = Integer.parseInt(cmd[3]);
    int warm = Integer.parseInt(cmd[4]);
    Probe probe = probes.get(kind);
    var target = lab.target(kind);
    ProbeLoad.run(probe, target, warm, c);
    int extra = untilJitIdle(probe, target, Math.max(1_000, warm / 4), c);
    System.err.println("warm-up " + kind.id() + ": " + warm + " probes + " + extra + " batches");
    System.out.println("warm");
    String go = in.readLine();
    if (!"go".equals(go)) {
      throw new IllegalStateException("expected go, got " + go);
    }
    ProbeLoad.Result r = ProbeLoad.run(probe, target, n, c);
    String outcomes = r.outcomes().toString().replace('\n', ' ');
    System.out.println("done " + r.wallNanos() + " " + r.up() + " " + outcomes);
  }
}
