package io.quorate.bench;

import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.LocalCluster;
import io.quorate.testsupport.NginxMember;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Failover time end to end: a member's nginx is killed, and the clock runs until BIND serves the
 * round-robin name without it (three regions, 1 s interval, fall 2, heartbeats 200 ms). Repeated
 * {@code n} times; prints every run, the median and the p95. A bounded main, not a test.
 *
 * <pre>
 * java -cp $CP io.quorate.bench.FailoverTime [runs=10]
 * </pre>
 */
public final class FailoverTime {
  private FailoverTime() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path dir = Files.createTempDirectory("quorate-failover-bench");
    try (Bind9Lab bind = Bind9Lab.start("example.test", Bind9Lab.exampleZone(1, ""))) {
      List<NginxMember> members = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          members.add(NginxMember.start(dir.resolve("n" + i)));
        }
        measure(dir, bind, members, runs);
      } finally {
        // also when the cluster fails to start (a port taken meanwhile): no nginx left behind
        members.forEach(NginxMember::close);
      }
    }
    System.exit(0);
  }

  private static void measure(Path dir, Bind9Lab bind, List<NginxMember> members, int runs)
      throws Exception {
    String body = io.quorate.failover.FailoverBenchConfig.shared(bind.port(), members);
    try (LocalCluster c =
        LocalCluster.start(
            dir,
            List.of("eu-west", "us-east", "ap-southeast"),
            body,
            Map.of("TSIG", Bind9Lab.TSIG_SECRET),
            null)) {
      SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
      r.setPort(bind.port());
      Set<String> all = Set.of("127.0.0.11", "127.0.0.12", "127.0.0.13");
      waitFor(r, all, Duration.ofSeconds(60));
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        NginxMember victim = members.get(i % 3);
        String gone = "127.0.0.1" + (1 + i % 3);
        Set<String> without = new TreeSet<>(all);
        without.remove(gone);
        long t0 = System.nanoTime();
        victim.stop();
        waitFor(r, without, Duration.ofSeconds(60));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        times.add(ms);
        System.out.printf("run %d: member %s killed -> removed from DNS in %d ms%n", i, gone, ms);
        victim.start();
        waitFor(r, all, Duration.ofSeconds(60));
      }
      Collections.sort(times);
      System.out.printf(
          "runs=%d median=%d ms p95=%d ms min=%d ms max=%d ms%n",
          runs,
          times.get(times.size() / 2),
          times.get((int) Math.ceil(0.95 * times.size()) - 1),
          times.get(0),
          times.get(times.size() - 1));
    }
  }

  private static void waitFor(SimpleResolver r, Set<String> want, Duration limit) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    Name n = Name.fromString("rr.example.test.");
    while (System.nanoTime() < end) {
      Message m = r.send(Message.newQuery(Record.newRecord(n, Type.A, DClass.IN)));
      Set<String> got = new TreeSet<>();
      for (Record rec : m.getSection(Section.ANSWER)) {
        got.add(rec.rdataToString());
      }
      if (got.equals(want)) {
        return;
      }
      Thread.sleep(20); // observer polling period
    }
    throw new IllegalStateException("DNS did not reach " + want + " within " + limit);
  }
}
