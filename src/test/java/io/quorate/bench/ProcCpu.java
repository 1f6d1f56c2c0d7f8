package io.quorate.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's user and system CPU time from {@code /proc/self/stat} (Linux, clock ticks of 10
 * ms), so a benchmark can say how much of a probe's cost is spent in the kernel (socket set-up and
 * tear-down) rather than in Java; and the bench mains' shared {@code -D} switches.
 */
record ProcCpu(long userNanos, long sysNanos, java.util.Map<String, Long> byThreadKind) {
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

  static ProcCpu now() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of proc(5) are utime and stime; f[0] is field 3 (state)
      return new ProcCpu(
          Long.parseLong(f[11]) * TICK_NANOS, Long.parseLong(f[12]) * TICK_NANOS, threads());
    } catch (IOException | RuntimeException e) {
      return new ProcCpu(0, 0, java.util.Map.of());
    }
  }

  /** utime + stime per kind of thread (event loop, JIT compiler, GC, other), from each task. */
  private static java.util.Map<String, Long> threads() throws IOException {
    java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks.limit(1_000)::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        kinds.merge(kind(comm), ticks * TICK_NANOS, Long::sum);
      }
    }
    return kinds;
  }

  private static String kind(String comm) {
    if (comm.startsWith("vert.x-eventloo")) {
      return "eventloop";
    } else if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return "jit";
    } else if (comm.startsWith("GC ") || comm.startsWith("G1 ") || comm.startsWith("VM Thread")) {
      return "gc+vm";
    }
    return "other";
  }

  /** "user U sys S ms/probe" for the CPU spent since {@code before}, over {@code n} probes. */
  String since(ProcCpu before, int n) {
    StringBuilder kinds = new StringBuilder();
    byThreadKind.forEach(
        (k, v) ->
            kinds.append(
                String.format(
                    " %s %.3f", k, (v - before.byThreadKind.getOrDefault(k, 0L)) / 1e6 / n)));
    return String.format(
        "user %.3f sys %.3f ms/probe; by thread%s",
        (userNanos - before.userNanos) / 1e6 / n, (sysNanos - before.sysNanos) / 1e6 / n, kinds);
  }

  /**
   * The bench's Vert.x: {@code -Dbench.native=true} prefers Netty's native epoll transport (when on
   * the class path); prints which transport is in use.
   */
  static Vertx vertx() {
    boolean nativeTransport = Boolean.getBoolean("bench.native");
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(nativeTransport));
    System.out.println("transport: " + (vertx.isNativeTransportEnabled() ? "native" : "nio"));
    return vertx;
  }

  /**
   * Warm-up probes: {@code -Dbench.warmup=N} (bounded to 1,000,000) or the bench's default. The
   * defaults are short, so the JIT compilers still run during the measured window.
   */
  static int warmup(int byDefault) {
    return Math.min(1_000_000, Integer.getInteger("bench.warmup", byDefault));
  }

  /** Whether {@code -Dbench.only} (a comma list, default all) includes {@code mode}. */
  static boolean wanted(String mode) {
    String only = System.getProperty("bench.only", "");
    return only.isEmpty() || java.util.List.of(only.split(",")).contains(mode);
  }
}
