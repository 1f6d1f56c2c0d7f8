package io.quorate.bench;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.quorum.Observation;
import io.quorate.store.RecentObservations;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issue 8: retained heap per kept recent observation. Fills {@code targets} × {@code perTarget}
 * observations shaped like the scale run's (60 % dns, 30 % http, 8 % tcp banner, 2 % smtp, 1 % of
 * them DOWN with a timeout; fresh strings and maps as the probes make them) into either {@link
 * RecentObservations} ({@code store}) or a map of {@code ArrayDeque}s of the full objects as
 * RecentObservations kept them before the compact rings ({@code full}); reports heap used after a
 * full GC before and after, per kept observation.
 *
 * <pre>
 * java -XX:+UseSerialGC -cp $CP io.quorate.bench.RecentMemory store|full [targets] [perTarget]
 * </pre>
 */
public final class RecentMemory {
  private RecentMemory() {}

  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "store";
    int targets = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int perTarget = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    long before = usedAfterGc();
    Object kept = fill(mode, targets, perTarget);
    long after = usedAfterGc();
    long n = (long) targets * perTarget;
    System.out.printf(
        "%s: %d targets x %d = %d kept; heap after full GC %.1f -> %.1f MB; %.0f bytes each%n",
        mode, targets, perTarget, n, before / 1e6, after / 1e6, (after - before) / (double) n);
    System.out.println(kept.hashCode() != 0 ? "" : " "); // keep the structure reachable
  }

  private static Object fill(String mode, int targets, int perTarget) {
    RecentObservations store = new RecentObservations(perTarget, 1000);
    Map<String, Deque<Observation>> full = new HashMap<>();
    long seq = 0;
    Instant t0 = Instant.parse("2026-11-22T08:00:00.123456789Z");
    for (int round = 0; round < perTarget + 2; round++) { // +2: the rings wrap
      for (int i = 0; i < targets; i++) {
        Instant at = t0.plusNanos(round * 10_000_000_000L + i * 1_000_003L);
        Observation o = new Observation("bench", ++seq, result(i, at));
        if (mode.equals("full")) {
          Deque<Observation> ring = full.computeIfAbsent(o.targetId(), k -> new ArrayDeque<>());
          ring.addFirst(o);
          while (ring.size() > perTarget) {
            ring.removeLast();
          }
        } else {
          store.add(o);
        }
      }
    }
    return mode.equals("full") ? full : store;
  }

  /** A result as the scale run's probe of target {@code i} makes it (fresh strings and maps). */
  static ProbeResult result(int i, Instant at) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    int slot = i % 50;
    Map<String, String> facts = new LinkedHashMap<>();
    double first = 0.2 + rnd.nextDouble();
    double total = first + 0.05 + rnd.nextDouble() * 0.1;
    String id;
    String detail;
    Timings t;
    if (slot < 30) {
      id = "d" + i;
      facts.put("rcode", "NOERROR");
      facts.put("answers", Integer.toString(4));
      facts.put("server", "127.0.0.1:" + (40000 + 53));
      facts.put("transport", "udp");
      facts.put("aa", Boolean.toString(true));
      detail = "NOERROR " + "[192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4]" + " via " + "udp";
      t = new Timings(null, null, first, total);
    } else if (slot < 45) {
      id = "h" + i;
      facts.put("status", Integer.toString(200));
      facts.put("httpVersion", "HTTP/1.1");
      facts.put("bodyBytes", Long.toString(3));
      detail = "HTTP " + 200;
      t = new Timings(0.1 + rnd.nextDouble() * 0.1, null, first, total + 0.2);
    } else {
      id = (slot < 49 ? "c" : "s") + i;
      facts.put("banner", "220 " + "quorate-lab.test ESMTP Postfix");
      if (slot == 49) {
        facts.put("ehlo", String.join(" ", "PIPELINING", "SIZE 10240000", "8BITMIME"));
      }
      detail = "";
      t = new Timings(0.1 + rnd.nextDouble() * 0.1, null, first, total + 0.3);
    }
    if (rnd.nextInt(100) == 0) {
      return ProbeResult.down(id, ErrorKind.TIMEOUT, "timed out after " + 2000 + " ms", at, t);
    }
    return new ProbeResult(id, Outcome.UP, null, detail, at, t, null, facts);
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc(); // a full collection with -XX:+UseSerialGC
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
