package io.quorate.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quorate.config.ConfigLoader;
import io.quorate.config.DnsZone;
import io.quorate.config.QuorateConfig;
import io.quorate.dns.auth.AuthMetrics;
import io.quorate.dns.auth.AuthoritativeServer;
import io.quorate.dns.auth.ZoneSnapshot;
import io.quorate.dns.auth.ZoneStore;
import io.quorate.testsupport.Bind9Conf;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Ports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.xbill.DNS.Record;

/**
 * Queries per second of the embedded authoritative server against a real BIND 9 serving the same
 * zone, both loaded by {@code dnsperf} in alternation, several rounds; with each server's CPU time
 * per query. Not a test (surefire does not run it): a bounded main.
 *
 * <pre>
 * mvn -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.quorate.bench.AuthDnsThroughput [rounds≤10] [seconds≤30] [eventLoops] [instances] \
 *     [clients] [threads] [outstanding] [lower|mixed]
 * </pre>
 */
public final class AuthDnsThroughput {
  static final String ZONE = "bench.test";
  static final int HOSTS = 100;

  private AuthDnsThroughput() {}

  public static void main(String[] args) throws Exception {
    int rounds = Math.min(10, arg(args, 0, 5));
    int seconds = Math.min(30, arg(args, 1, 10));
    int loops = Math.min(8, arg(args, 2, 1));
    int instances = Math.min(8, arg(args, 3, 1));
    Dnsperf.Load load = new Dnsperf.Load(arg(args, 4, 4), arg(args, 5, 1), arg(args, 6, 100));
    boolean mixed = args.length > 7 && "mixed".equals(args[7]);
    Path dir = Files.createTempDirectory("authbench");
    QuorateConfig config = config(dir);
    ZoneStore store = new ZoneStore(config, Clock.systemUTC());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    try (Bind9Lab bind = Bind9Lab.start(Bind9Conf.primary(ZONE), zoneText(store), Ports.free())) {
      int port = deploy(vertx, config, store, instances);
      Path queries = Dnsperf.queryFile(dir, ZONE, HOSTS, mixed ? 50_000 : 2_000, mixed);
      System.out.printf(
          "zone=%s rrsets=%d queries=%s eventLoops=%d instances=%d dnsperf -c %d -T %d -q %d,"
              + " %d x %d s%n",
          ZONE,
          store.zones().get(0).rrsetCount(),
          mixed ? "mixed-case" : "lower-case",
          loops,
          instances,
          load.clients(),
          load.threads(),
          load.outstanding(),
          rounds,
          seconds);
      System.out.println(AnswerDiff.compare(queries, port, bind.port()));
      Dnsperf.run(port, queries, 3, load); // warm-up: JIT, caches
      Dnsperf.run(bind.port(), queries, 3, load);
      List<Sample> ours = new ArrayList<>();
      List<Sample> theirs = new ArrayList<>();
      LongSupplier jvmCpu = AuthDnsThroughput::jvmCpuNanos;
      LongSupplier namedCpu = () -> procCpuNanos(bind.pid());
      for (int r = 0; r < rounds; r++) { // alternate who goes first: no order bias
        if (r % 2 == 0) {
          ours.add(sample(port, queries, seconds, load, jvmCpu));
          theirs.add(sample(bind.port(), queries, seconds, load, namedCpu));
        } else {
          theirs.add(sample(bind.port(), queries, seconds, load, namedCpu));
          ours.add(sample(port, queries, seconds, load, jvmCpu));
        }
        System.out.printf("round %d: embedded %s | bind %s%n", r + 1, ours.get(r), theirs.get(r));
      }
      System.out.println(Sample.table(ours, theirs));
      System.out.println("embedded rcodes: " + ours.get(0).result().rcodes());
      System.out.println("bind     rcodes: " + theirs.get(0).result().rcodes());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static int arg(String[] args, int i, int dflt) {
    return args.length > i ? Math.max(1, Integer.parseInt(args[i])) : dflt;
  }

  private static Sample sample(
      int port, Path queries, int seconds, Dnsperf.Load load, LongSupplier cpu) {
    long before = cpu.getAsLong();
    Dnsperf.Result res = Dnsperf.run(port, queries, seconds, load);
    long used = cpu.getAsLong() - before;
    return new Sample(res, res.completed() == 0 ? 0 : used / 1e6 / res.completed());
  }

  /** Deploys {@code instances} servers on one port (several need SO_REUSEPORT for UDP). */
  private static int deploy(Vertx vertx, QuorateConfig config, ZoneStore store, int instances)
      throws Exception {
    List<DnsZone> zones = config.zones().stream().filter(DnsZone::isEmbedded).toList();
    AuthMetrics metrics = new AuthMetrics(new SimpleMeterRegistry(), Set.of(ZONE));
    int port = instances == 1 ? 0 : Ports.free();
    List<AuthoritativeServer> servers = new ArrayList<>();
    vertx
        .deployVerticle(
            () -> {
              AuthoritativeServer s =
                  new AuthoritativeServer(
                      "127.0.0.1", port, store, zones, metrics, Clock.systemUTC());
              synchronized (servers) {
                servers.add(s);
              }
              return s;
            },
            new DeploymentOptions().setInstances(instances))
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    return servers.get(0).actualPort();
  }

  /** The same zone as BIND zone-file text: every record of the snapshot, absolute names. */
  static String zoneText(ZoneStore store) {
    ZoneSnapshot z = store.zones().get(0);
    return z.records().stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  private static QuorateConfig config(Path dir) throws Exception {
    List<String> records = new ArrayList<>();
    records.add(rec("ns1", "A", "127.0.0.1"));
    records.add(rec("mail", "A", "127.0.0.2"));
    for (int i = 1; i <= 3; i++) {
      records.add(rec("www", "A", "192.0.2." + i)); // a pool-like RRset
      records.add(rec("alias" + i, "CNAME", "www." + ZONE + "."));
    }
    for (int i = 1; i <= HOSTS; i++) {
      records.add(rec("host" + i, "A", "198.51.100." + i));
    }
    records.add("        - {name: " + ZONE + ", type: MX, value: '10 mail." + ZONE + ".'}");
    records.add("        - {name: " + ZONE + ", type: MX, value: '20 ns1." + ZONE + ".'}");
    records.add("        - {name: " + ZONE + ", type: TXT, value: '\"v=spf1 -all\"'}");
    String yaml =
        """
        regions: [a]
        targets: []
        zones:
          - zone: %s
            provider: embedded
            embedded:
              soa: {mname: ns1.%s, rname: hostmaster.%s, ttl: 300, minimum: 60}
              nameServers: [ns1.%s]
              records:
        %s
        """
            .formatted(ZONE, ZONE, ZONE, ZONE, String.join("\n", records));
    Path file = dir.resolve("quorate.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(System::getenv).load(file, null).shared();
  }

  private static String rec(String label, String type, String value) {
    return "        - {name: %s.%s, type: %s, value: '%s'}".formatted(label, ZONE, type, value);
  }

  static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of {@code pid} from /proc/PID/stat, in nanoseconds (clock ticks of 10 ms). */
  static long procCpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // fields 14, 15
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
