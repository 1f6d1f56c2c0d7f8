package io.quorate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 8, side by side in one run: for each probe kind, Quorate's real probe (in a {@link
 * ProbeChild} JVM with the agent's flags) and prometheus-blackbox-exporter (driven over {@code GET
 * /probe} from this JVM) each run {@code n} probes at the same concurrency against the same
 * loopback lab; each side's CPU comes from {@code /proc/<pid>/stat} around its measured window. R
 * runs, a fresh child per run, the side that goes first alternating. Run it with {@code bench/run}
 * (see {@link SideArgs} for the arguments).
 */
public final class SideBySide {
  /** A /probe answer stalled this long fails (the modules time out after 5 s). */
  static final int IDLE_TIMEOUT_SECONDS = 30;

  private final SideArgs args;
  private final SideLab lab;
  private final Exporter exporter;
  private final HttpClientAgent client;

  private SideBySide(SideArgs args, SideLab lab, Exporter exporter, HttpClientAgent client) {
    this.args = args;
    this.lab = lab;
    this.exporter = exporter;
    this.client = client;
  }

  public static void main(String[] argv) throws IOException {
    SideArgs args = SideArgs.parse(Arrays.asList(argv));
    Cleanup cleanup = new Cleanup();
    Runtime.getRuntime().addShutdownHook(new Thread(cleanup::closeAll, "side-by-side-cleanup"));
    String before = Machine.note();
    try {
      Path dir = Files.createTempDirectory("quorate-side-by-side");
      SideLab lab = cleanup.add(SideLab.start(dir));
      LabAddress a = lab.address();
      Exporter exporter =
          cleanup.add(Exporter.start(dir, ExporterConfig.yaml(a.webCa(), a.mailCa())));
      Vertx vertx = Vertx.vertx();
      cleanup.add(
          () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      HttpClientAgent client =
          vertx.createHttpClient(
              new HttpClientOptions().setKeepAlive(true).setIdleTimeout(IDLE_TIMEOUT_SECONDS),
              new PoolOptions().setHttp1MaxSize(args.concurrency()));
      List<Pair> pairs = new SideBySide(args, lab, exporter, client).runAll(dir, cleanup);
      String report = Machine.report(argv, args, before, pairs);
      System.out.println(report);
      Files.createDirectories(args.out().toAbsolutePath().getParent());
      Files.writeString(args.out(), report);
      System.out.println("written to " + args.out());
    } finally {
      cleanup.closeAll();
    }
  }

  private List<Pair> runAll(Path dir, Cleanup cleanup) {
    List<Pair> pairs = new ArrayList<>();
    for (int run = 1; run <= args.runs(); run++) {
      Path log = dir.resolve("probe-child-" + run + ".log");
      try (QuorateChild child = cleanup.add(QuorateChild.start(lab.address(), log))) {
        for (Kind k : args.kinds()) {
          Pair p = measure(run, k, child);
          System.out.println(p.line());
          pairs.add(p);
        }
      }
    }
    return pairs;
  }

  /** Odd runs measure Quorate first, even runs the exporter first. */
  private Pair measure(int run, Kind k, QuorateChild child) {
    Pair.Side q;
    Pair.Side e;
    if (run % 2 == 1) {
      q = quorate(k, child);
      e = exporter(k);
    } else {
      e = exporter(k);
      q = quorate(k, child);
    }
    return new Pair(k, run, args.count(k), q, e);
  }

  private Pair.Side quorate(Kind k, QuorateChild child) {
    int n = args.count(k);
    child.prepare(k, n, args.concurrency(), args.quorateWarmUp(k));
    long s0 = lab.serverCpuMillis(k);
    QuorateChild.Window w = child.measure();
    long s1 = lab.serverCpuMillis(k);
    if (w.up() < n) {
      System.out.println("quorate " + k.id() + " not UP: " + w.outcomes());
    }
    double rate = n / (w.wallNanos() / 1e9);
    return new Pair.Side(rate, (double) w.cpuMs() / n, n - w.up(), serverPerProbe(s0, s1, n));
  }

  private Pair.Side exporter(Kind k) {
    int n = args.count(k);
    String uri = ExporterLoad.uri(k.id(), lab.address().exporterTarget(k));
    ExporterLoad.run(client, exporter.port(), uri, args.exporterWarmUp(k), args.concurrency());
    long s0 = lab.serverCpuMillis(k);
    long e0 = ProcStat.cpuMillis(exporter.pid());
    ExporterLoad.Result r = ExporterLoad.run(client, exporter.port(), uri, n, args.concurrency());
    long e1 = ProcStat.cpuMillis(exporter.pid());
    long s1 = lab.serverCpuMillis(k);
    if (r.success() < n) {
      System.out.println("exporter " + k.id() + " failed: " + r.firstFailure());
    }
    double cpu = (double) (e1 - e0) / n;
    return new Pair.Side(r.perSecond(), cpu, n - r.success(), serverPerProbe(s0, s1, n));
  }

  private static double serverPerProbe(long s0, long s1, int n) {
    return s0 < 0 ? Double.NaN : (double) (s1 - s0) / n;
  }
}
