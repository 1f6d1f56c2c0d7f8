package io.quorate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc/<pid>/stat} (proc(5)): {@code utime + stime}, fields 14
 * and 15, in clock ticks. The command name (field 2) sits in parentheses and may itself contain
 * spaces and parentheses, so the fields are counted from the <em>last</em> {@code ')'}.
 */
final class ProcStat {
  /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux architecture the project builds on. */
  static final long TICKS_PER_SECOND = 100;

  /** Largest stat line accepted (a real one is ~300 bytes). */
  static final int MAX_LINE = 4096;

  private ProcStat() {}

  /** {@code utime + stime} in clock ticks, parsed from one {@code /proc/<pid>/stat} line. */
  static long cpuTicks(String statLine) {
    if (statLine.length() > MAX_LINE) {
      throw new IllegalArgumentException("stat line longer than " + MAX_LINE);
    }
    int close = statLine.lastIndexOf(')');
    if (close < 0 || statLine.indexOf('(') < 0) {
      throw new IllegalArgumentException("no (comm) in stat line: " + statLine);
    }
    // after ") ": field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12
    String[] f = statLine.substring(close + 1).trim().split(" +");
    if (f.length < 13) {
      throw new IllegalArgumentException("stat line has too few fields: " + statLine);
    }
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    if (utime < 0 || stime < 0) {
      throw new IllegalArgumentException("negative CPU time in stat line: " + statLine);
    }
    return utime + stime;
  }

  /** CPU milliseconds ({@code utime + stime}) that process {@code pid} has used so far. */
  static long cpuMillis(long pid) {
    try {
      String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return cpuTicks(line.strip()) * 1000 / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/stat", e);
    }
  }

  /** CPU milliseconds of {@code pid} plus its live descendants (nginx master and workers). */
  static long treeCpuMillis(long pid) {
    ProcessHandle root = ProcessHandle.of(pid).orElseThrow();
    return cpuMillis(pid) + root.descendants().mapToLong(h -> liveCpuMillis(h.pid())).sum();
  }

  /** As {@link #cpuMillis}, but 0 for a process that ended between listing and reading. */
  private static long liveCpuMillis(long pid) {
    try {
      return cpuMillis(pid);
    } catch (UncheckedIOException e) {
      return 0;
    }
  }
}
