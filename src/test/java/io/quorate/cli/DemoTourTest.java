package io.quorate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.demo.DemoOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's tour starts with the three public status pages, one per region. */
class DemoTourTest {

  @Test
  void theTourOpensWithTheStatusPageOfEveryRegion() {
    DemoOptions o = new DemoOptions(18080, 15353, 18480, 12525, 11143, 11110, 15300);
    List<String> lines = DemoCommand.statusPages(o).lines().toList();
    assertEquals(
        List.of(
            "",
            "Quorate demo is running: regions eu-west, us-east, ap-southeast (quorum 2 of 3), on"
                + " loopback.",
            "",
            "Status pages (public, no token needed):",
            "  http://127.0.0.1:18080/   (eu-west)",
            "  http://127.0.0.1:18081/   (us-east)",
            "  http://127.0.0.1:18082/   (ap-southeast)",
            "  curl -s http://127.0.0.1:18080/status.json   (what the page shows)",
            ""),
        lines);
  }
}
