package io.quorate.bench;

import io.quorate.testsupport.LabProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The machine note and the Markdown report of a side-by-side run. */
final class Machine {
  private Machine() {}

  /** Cores, kernel, JDK, exporter version and the load average now. */
  static String note() {
    String exporter =
        LabProcess.run(List.of(Exporter.BINARY, "--version"), Duration.ofSeconds(10))
            .lines()
            .findFirst()
            .orElse("?");
    return String.format(
        "%d cores, Linux %s, Java %s; %s; load average %s",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.version"),
        System.getProperty("java.version"),
        exporter.trim(),
        loadAverage());
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole report: command, machine, settings, the ratio table and the lab server table. */
  static String report(String[] argv, SideArgs a, String before, List<Pair> pairs) {
    StringBuilder b = new StringBuilder();
    b.append("Command: `bench/run")
        .append(argv.length == 0 ? "" : " " + String.join(" ", argv))
        .append("` — finished ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append("\n\nMachine at start: ")
        .append(before)
        .append("; load average at end: ")
        .append(loadAverage())
        .append("\n\nSettings: ")
        .append(a.runs())
        .append(" runs (odd runs Quorate first), concurrency ")
        .append(a.concurrency())
        .append(" on both sides; probe child JVM: `")
        .append(String.join(" ", QuorateChild.JVM_FLAGS))
        .append("`; probes per window: ");
    for (Kind k : a.kinds()) {
      b.append(k.id()).append(' ').append(a.count(k)).append(k == last(a) ? "" : ", ");
    }
    b.append("\n\n").append(SideTable.markdown(pairs));
    b.append("\nLab server CPU per probe (context):\n\n").append(SideTable.serverMarkdown(pairs));
    return b.toString();
  }

  private static Kind last(SideArgs a) {
    return a.kinds().get(a.kinds().size() - 1);
  }
}
