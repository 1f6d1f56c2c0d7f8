package io.quorate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.api.JsonViews;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.probe.TlsInfo;
import io.quorate.quorum.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecentObservationsTest {
  private static final Instant T0 = Instant.parse("2026-11-22T08:00:00.123456789Z");

  private static Observation up(String target, long seq) {
    Timings t = new Timings(null, null, 0.25, 0.5 + seq / 1e4);
    String detail = "NOERROR [192.0.2." + 1 + "] via udp"; // a fresh string each time
    Map<String, String> facts = Map.of("answers", Integer.toString(1), "rcode", "NOERROR");
    return new Observation(
        "eu", seq, ProbeResult.up(target, detail, T0.plusMillis(seq), t, null, facts));
  }

  private static List<Long> seqs(List<Observation> list) {
    return list.stream().map(Observation::seq).toList();
  }

  @Test
  void keepsTheNewestPerTargetNewestFirstAcrossGrowth() {
    for (int n = 1; n <= 45; n++) { // the rings grow 4 → 8 → 16 → 20, then wrap
      RecentObservations r = new RecentObservations(20, 1000);
      for (long s = 1; s <= n; s++) {
        r.add(up("a", s));
      }
      List<Long> expected = new ArrayList<>();
      for (long s = n; s > Math.max(0, n - 20); s--) {
        expected.add(s);
      }
      assertEquals(expected, seqs(r.recent("a", 1000)), "after " + n);
      assertEquals(expected.subList(0, Math.min(3, n)), seqs(r.recent("a", 3)));
    }
  }

  @Test
  void boundsPerTargetAndGlobal() {
    RecentObservations r = new RecentObservations(3, 5);
    for (long s = 1; s <= 10; s++) {
      r.add(up(s % 2 == 0 ? "even" : "odd", s));
    }
    assertEquals(List.of(10L, 8L, 6L), seqs(r.recent("even", 50)));
    assertEquals(List.of(9L, 7L, 5L), seqs(r.recent("odd", 50)));
    assertEquals(List.of(10L, 9L, 8L, 7L, 6L), seqs(r.recent(null, 50)));
    assertEquals(List.of(10L, 9L), seqs(r.recent(null, 2)));
    assertEquals(List.of(), r.recent("ghost", 50));
    assertThrows(IllegalArgumentException.class, () -> new RecentObservations(0, 5));
    assertThrows(IllegalArgumentException.class, () -> new RecentObservations(5, 0));
  }

  @Test
  void aMemoryBudgetSharesTheTotalOverTheTargetsSeenAtLeastOneEach() {
    RecentObservations r = new RecentObservations(20, 1000, 30);
    long seq = 0;
    for (int round = 0; round < 25; round++) {
      for (int t = 0; t < 10; t++) {
        r.add(up("t" + t, ++seq));
      }
    }
    assertEquals(3, r.perTargetNow()); // 30 / 10 targets
    assertEquals(List.of(seq - 9, seq - 19, seq - 29), seqs(r.recent("t0", 50)));
    for (int t = 10; t < 40; t++) { // 40 targets: the budget no longer gives each one two
      r.add(up("t" + t, ++seq));
    }
    assertEquals(1, r.perTargetNow());
    assertEquals(3, r.recent("t0", 50).size()); // trimmed on its next observation
    r.add(up("t0", ++seq));
    assertEquals(List.of(seq), seqs(r.recent("t0", 50)));
    r.add(up("t0", ++seq));
    assertEquals(List.of(seq), seqs(r.recent("t0", 50)));
    assertEquals(20, new RecentObservations(20, 10, 20 * 10_000).perTargetNow());
    assertEquals(524_288, RecentObservations.keptFor(32));
    assertThrows(IllegalArgumentException.class, () -> new RecentObservations(5, 5, 0));
  }

  @Test
  void theApiShowsTheSameJsonAsForTheObservationKept() {
    TlsInfo tls =
        new TlsInfo(
            "TLSv1.3", "TLS_AES_128_GCM_SHA256", "CN=a", "CN=ca", T0.plusSeconds(86_400 * 9), 9);
    List<ProbeResult> results =
        List.of(
            new ProbeResult(
                "a",
                Outcome.UP,
                null,
                "HTTP 200",
                T0,
                new Timings(0.1234567, 3.0004999, 1.9999996, 7.123456789),
                tls,
                Map.of("status", "200", "httpVersion", "HTTP/1.1")),
            ProbeResult.down(
                "a", ErrorKind.TIMEOUT, "connect: timed out", T0.plusNanos(999_999), tl(2000.0)),
            new ProbeResult(
                "a",
                Outcome.DEGRADED,
                ErrorKind.CERTIFICATE,
                "expires in 9 days",
                T0.minusNanos(1),
                new Timings(0.0, 0.0005, null, 0.0004999),
                tls,
                null),
            ProbeResult.up("a", "", Instant.EPOCH, tl(123_456.78951), null, Map.of()));
    RecentObservations r = new RecentObservations(10, 10);
    List<Observation> added = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      added.add(0, new Observation(i % 2 == 0 ? "eu" : "us", 1L << 40 | i, results.get(i)));
      r.add(added.get(0));
    }
    List<Observation> kept = r.recent("a", 10);
    assertEquals(added.size(), kept.size());
    for (int i = 0; i < added.size(); i++) {
      assertEquals(JsonViews.observation(added.get(i)), JsonViews.observation(kept.get(i)));
    }
  }

  private static Timings tl(double total) {
    return Timings.total(total);
  }

  @Test
  void equalDetailsAndFactsAreSharedAndTimingsClamped() {
    RecentObservations r = new RecentObservations(5, 5);
    r.add(up("a", 1));
    r.add(up("b", 2));
    ProbeResult a = r.recent("a", 1).get(0).result();
    ProbeResult b = r.recent("b", 1).get(0).result();
    assertSame(a.detail(), b.detail());
    assertSame(a.facts(), b.facts());
    r.add(new Observation("eu", 3, ProbeResult.up("c", "", T0, tl(1e12), null, null)));
    assertEquals(Integer.MAX_VALUE / 1000.0, r.recent("c", 1).get(0).result().timings().totalMs());
  }

  @Test
  void theSharedPoolStaysBounded() {
    Interner<Object> pool = new Interner<>(3);
    for (int i = 0; i < 10; i++) {
      String v = "v" + i;
      assertSame(v, pool.intern(v));
      assertTrue(pool.size() <= 3, "pool size " + pool.size());
    }
    String again = pool.intern(new String("v9"));
    assertEquals("v9", again);
    assertSame(pool.intern("v9"), again);
  }

  @Test
  void concurrentWritersAndReadersSeeWholeNewestFirstRings() throws Exception {
    RecentObservations r = new RecentObservations(20, 100);
    int writers = 4;
    int perWriter = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String own = "t" + w;
        long base = w * 1_000_000L;
        done.add(
            pool.submit(
                () -> {
                  for (long s = 1; s <= perWriter; s++) {
                    r.add(up(own, base + s));
                    r.add(up("shared", base + s));
                  }
                }));
      }
      Future<Integer> reads = pool.submit(() -> readWhileWriting(r, done));
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertTrue(reads.get(60, TimeUnit.SECONDS) > 0);
    } finally {
      pool.shutdownNow();
    }
    for (int w = 0; w < writers; w++) {
      long last = w * 1_000_000L + perWriter;
      List<Long> expected = new ArrayList<>();
      for (long s = last; s > last - 20; s--) {
        expected.add(s);
      }
      assertEquals(expected, seqs(r.recent("t" + w, 50)));
    }
    assertEquals(20, r.recent("shared", 50).size());
    assertEquals(100, r.recent(null, 1000).size());
  }

  /** Reads own rings until the writers finish; each read must be strictly newest first. */
  private static int readWhileWriting(RecentObservations r, List<Future<?>> writers) {
    int reads = 0;
    while (reads < 1_000_000 && (reads < 10 || writers.stream().anyMatch(f -> !f.isDone()))) {
      List<Long> s = seqs(r.recent("t" + reads % 4, 50));
      for (int i = 1; i < s.size(); i++) {
        assertTrue(s.get(i - 1) > s.get(i), "not newest first: " + s);
      }
      assertTrue(s.size() <= 20);
      reads++;
    }
    return reads;
  }
}
