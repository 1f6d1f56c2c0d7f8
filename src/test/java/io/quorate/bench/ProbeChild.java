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
