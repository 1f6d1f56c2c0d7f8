package io.quorate.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** One dnsperf run against one server, with that server's CPU time per completed query. */
record Sample(Dnsperf.Result result, double cpuMsPerQuery) {

  @Override
  public String toString() {
    return String.format(
        "%.0f q/s lost=%d lat=%.3f ms cpu=%.4f ms/q",
        result.qps(), result.lost(), result.latencyMs(), cpuMsPerQuery);
  }

  /** A Markdown table: median [min – max] per server and figure, and the ratio of the medians. */
  static String table(List<Sample> ours, List<Sample> bind) {
    StringBuilder b = new StringBuilder();
    b.append("| figure | embedded | BIND 9 | embedded/BIND |\n|---|---|---|---|\n");
    row(b, "queries/s", ours, bind, s -> s.result().qps(), "%.0f");
    row(b, "queries lost", ours, bind, s -> s.result().lost(), "%.0f");
    row(b, "avg latency ms", ours, bind, s -> s.result().latencyMs(), "%.3f");
    row(b, "server CPU ms/query", ours, bind, Sample::cpuMsPerQuery, "%.4f");
    row(b, "avg response bytes", ours, bind, s -> s.result().responseSize(), "%.0f");
    return b.toString();
  }

  private static void row(
      StringBuilder b,
      String name,
      List<Sample> ours,
      List<Sample> bind,
      ToDoubleFunction<Sample> f,
      String fmt) {
    double mo = median(ours, f);
    double mb = median(bind, f);
    b.append("| ")
        .append(name)
        .append(" | ")
        .append(range(ours, f, fmt))
        .append(" | ")
        .append(range(bind, f, fmt))
        .append(" | ")
        .append(mb == 0 ? "–" : String.format("%.2f", mo / mb))
        .append(" |\n");
  }

  private static String range(List<Sample> s, ToDoubleFunction<Sample> f, String fmt) {
    return Spread.of(s, f).text(fmt);
  }

  static double median(List<Sample> s, ToDoubleFunction<Sample> f) {
    return Spread.of(s, f).median();
  }
}
