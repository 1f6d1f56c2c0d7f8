package io.quorate.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown tables of the side-by-side run: per kind, "median [min – max]" over the runs of each
 * figure, the ratio of Quorate's CPU per probe to the exporter's, the goal and PASS/MISS (on the
 * median ratio, with how many runs met the goal); then the lab servers' CPU per probe.
 */
final class SideTable {
  private SideTable() {}

  static String markdown(List<Pair> pairs) {
    StringBuilder b = new StringBuilder();
    b.append("| probe | Quorate probes/s | exporter probes/s | Quorate CPU ms/probe")
        .append(
            " | exporter CPU ms/probe | ratio Quorate/exporter | goal | result | failed Q/E |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (Kind k : Kind.values()) {
      List<Pair> p = pairs.stream().filter(x -> x.kind() == k).toList();
      if (!p.isEmpty()) {
        b.append(row(k, p));
      }
    }
    return b.toString();
  }

  private static String row(Kind k, List<Pair> p) {
    Spread ratio = Spread.of(p, Pair::ratio);
    return String.join(
            " | ",
            "| " + k.id(),
            text(p, x -> x.quorate().rate(), "%.0f"),
            text(p, x -> x.exporter().rate(), "%.0f"),
            text(p, x -> x.quorate().cpu(), "%.3f"),
            text(p, x -> x.exporter().cpu(), "%.3f"),
            ratio.text("%.3f"),
            k.goalText(),
            verdict(k, ratio.median(), p),
            sum(p, x -> x.quorate().failed()) + "/" + sum(p, x -> x.exporter().failed()))
        + " |\n";
  }

  /** PASS or MISS on the median ratio, with the runs that met the goal; "—" without a goal. */
  static String verdict(Kind k, double medianRatio, List<Pair> p) {
    if (k.goal == 0) {
      return "—";
    }
    long met = p.stream().filter(Pair::meetsGoal).count();
    return (medianRatio <= k.goal ? "PASS" : "MISS") + " (" + met + "/" + p.size() + ")";
  }

  /** Lab server CPU per probe during each side's window, for the kinds where it is measured. */
  static String serverMarkdown(List<Pair> pairs) {
    StringBuilder b = new StringBuilder();
    b.append("| probe | server | server CPU ms/probe, Quorate probing")
        .append(" | server CPU ms/probe, exporter probing |\n|---|---|---|---|\n");
    for (Kind k : Kind.values()) {
      List<Pair> ps =
          pairs.stream()
              .filter(x -> x.kind() == k && !Double.isNaN(x.quorate().serverCpu()))
              .toList();
      if (!ps.isEmpty()) {
        b.append("| ")
            .append(k.id())
            .append(" | ")
            .append(k == Kind.DNS ? "named" : "nginx")
            .append(" | ")
            .append(text(ps, x -> x.quorate().serverCpu(), "%.3f"))
            .append(" | ")
            .append(text(ps, x -> x.exporter().serverCpu(), "%.3f"))
            .append(" |\n");
      }
    }
    return b.toString();
  }

  private static String text(List<Pair> p, ToDoubleFunction<Pair> f, String fmt) {
    return Spread.of(p, f).text(fmt);
  }

  private static long sum(List<Pair> p, ToDoubleFunction<Pair> f) {
    return Math.round(p.stream().mapToDouble(f).sum());
  }
}
