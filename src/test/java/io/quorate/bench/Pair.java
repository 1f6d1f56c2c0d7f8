package io.quorate.bench;

/**
 * One kind in one run of the side-by-side benchmark: Quorate's and blackbox_exporter's windows of
 * {@code n} probes each.
 */
record Pair(Kind kind, int run, int n, Side quorate, Side exporter) {

  /**
   * One side's window: probes per second, its own CPU milliseconds per probe, probes not UP, and
   * the lab server's CPU milliseconds per probe meanwhile (NaN where it is not measured).
   */
  record Side(double rate, double cpu, int failed, double serverCpu) {}

  /** Quorate's CPU per probe as a fraction of the exporter's. */
  double ratio() {
    return exporter.cpu() == 0 ? Double.POSITIVE_INFINITY : quorate.cpu() / exporter.cpu();
  }

  /** Whether this run meets the kind's goal (always false for a kind without one). */
  boolean meetsGoal() {
    return kind.goal > 0 && ratio() <= kind.goal;
  }

  /** One line for the log as the run goes. */
  String line() {
    return String.format(
        "run %d %-8s n=%d  quorate %.0f/s %.3f ms/probe failed=%d  exporter %.0f/s %.3f ms/probe"
            + " failed=%d  ratio %.3f  server %.3f/%.3f ms/probe",
        run,
        kind.id(),
        n,
        quorate.rate(),
        quorate.cpu(),
        quorate.failed(),
        exporter.rate(),
        exporter.cpu(),
        exporter.failed(),
        ratio(),
        quorate.serverCpu(),
        exporter.serverCpu());
  }
}
