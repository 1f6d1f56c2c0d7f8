package io.quorate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
  // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
  // cmajflt utime stime cutime cstime ...
  private static final String TAIL =
      " S 1 1234 1234 0 -1 4194560 100 7 3 2 150 25 900 800 20 0 30 0 5000 1000 200";

  @Test
  void sumsUtimeAndStimeAndIgnoresChildrenTimes() {
    assertEquals(175, ProcStat.cpuTicks("1234 (java)" + TAIL));
  }

  @Test
  void commWithSpacesAndParenthesesDoesNotShiftTheFields() {
    assertEquals(175, ProcStat.cpuTicks("1234 (a) b (c) 9 9)" + TAIL));
  }

  @Test
  void rejectsLinesWithoutCommOrWithTooFewFields() {
    assertThrows(IllegalArgumentException.class, () -> ProcStat.cpuTicks("1234 java" + TAIL));
    assertThrows(IllegalArgumentException.class, () -> ProcStat.cpuTicks("1234 (java) S 1 2 3"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ProcStat.cpuTicks("1 (x)" + TAIL.replace("150", "x")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ProcStat.cpuTicks("1 (" + "x".repeat(ProcStat.MAX_LINE) + ")" + TAIL));
  }

  @Test
  void ownCpuTimeGrowsWhileThisThreadSpins() {
    long pid = ProcessHandle.current().pid();
    long start = ProcStat.cpuMillis(pid);
    long deadline = System.nanoTime() + 5_000_000_000L;
    long spins = 0;
    while (ProcStat.cpuMillis(pid) < start + 30 && System.nanoTime() < deadline) {
      spins += Long.numberOfTrailingZeros(System.nanoTime() | 1); // busy work, bounded by time
    }
    long used = ProcStat.cpuMillis(pid) - start;
    assertTrue(used >= 30 && used < 5_000 * 2, "used " + used + " ms after " + spins + " spins");
    long self = ProcStat.cpuMillis(pid);
    assertTrue(ProcStat.treeCpuMillis(pid) >= self); // read after self: it can only be more
  }
}
