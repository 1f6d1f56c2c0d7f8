package io.quorate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SideTableTest {

  private static Pair pair(Kind k, int run, double quorateCpu, double exporterCpu) {
    return new Pair(
        k,
        run,
        1000,
        new Pair.Side(5000 + run, quorateCpu, 0, 0.05),
        new Pair.Side(1500 + run, exporterCpu, run == 2 ? 1 : 0, 0.04));
  }

  @Test
  void spreadTakesTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    assertEquals(new Spread(2, 1, 9), Spread.of(new double[] {9, 1, 2}));
    assertEquals(new Spread(2.5, 1, 9), Spread.of(new double[] {9, 1, 2, 3}));
    assertEquals(new Spread(0, 0, 0), Spread.of(new double[0]));
    assertEquals("2.50 [1.00 – 9.00]", new Spread(2.5, 1, 9).text("%.2f"));
  }

  @Test
  void tableRowHasMedianAndRangeRatioGoalAndVerdict() {
    List<Pair> pairs =
        List.of(
            pair(Kind.DNS, 1, 0.10, 1.0),
            pair(Kind.DNS, 2, 0.20, 1.0),
            pair(Kind.DNS, 3, 0.12, 1.0),
            pair(Kind.IMAP, 1, 2.0, 1.0));
    String[] lines = SideTable.markdown(pairs).split("\n");
    assertEquals(4, lines.length);
    assertEquals(
        "| dns | 5002 [5001 – 5003] | 1502 [1501 – 1503] | 0.120 [0.100 – 0.200]"
            + " | 1.000 [1.000 – 1.000] | 0.120 [0.100 – 0.200] | ≤ 1/8 | PASS (2/3) | 0/1 |",
        lines[2]);
    assertEquals(
        "| imap | 5001 [5001 – 5001] | 1501 [1501 – 1501] | 2.000 [2.000 – 2.000]"
            + " | 1.000 [1.000 – 1.000] | 2.000 [2.000 – 2.000] | — | — | 0/0 |",
        lines[3]);
  }

  @Test
  void verdictIsMissWhenTheMedianRatioIsAboveTheGoal() {
    List<Pair> p = List.of(pair(Kind.SMTP, 1, 0.2, 1.0), pair(Kind.SMTP, 2, 0.3, 1.0));
    assertEquals("MISS (1/2)", SideTable.verdict(Kind.SMTP, 0.26, p));
    assertEquals("PASS (1/2)", SideTable.verdict(Kind.SMTP, 0.25, p));
    assertEquals("—", SideTable.verdict(Kind.HTTPS, 0.1, p));
  }

  @Test
  void serverTableListsOnlyKindsWithAMeasuredServer() {
    Pair smtp =
        new Pair(
            Kind.SMTP,
            1,
            10,
            new Pair.Side(1, 1, 0, Double.NaN),
            new Pair.Side(1, 1, 0, Double.NaN));
    String t = SideTable.serverMarkdown(List.of(pair(Kind.HTTP, 1, 0.1, 1), smtp));
    assertEquals(
        "| http | nginx | 0.050 [0.050 – 0.050] | 0.040 [0.040 – 0.040] |", t.split("\n")[2]);
    assertEquals(3, t.split("\n").length);
  }
}
