package io.quorate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SideArgsTest {

  @Test
  void defaultsAreFiveRunsOfEveryKindAtConcurrency32() {
    SideArgs a = SideArgs.parse(List.of());
    assertEquals(5, a.runs());
    assertEquals(32, a.concurrency());
    assertEquals(List.of(Kind.values()), a.kinds());
    assertEquals(6_000, a.count(Kind.DNS));
    assertEquals(30_000, a.quorateWarmUp(Kind.DNS));
    assertEquals(600, a.exporterWarmUp(Kind.DNS));
    assertEquals(Path.of("target/side-by-side.md"), a.out());
  }

  @Test
  void quickIsTwoRunsAtAQuarterAndLaterArgumentsWin() {
    SideArgs a = SideArgs.parse(List.of("--quick", "--runs", "3", "--kinds", "dns, smtp"));
    assertEquals(3, a.runs());
    assertEquals(1_500, a.count(Kind.DNS));
    assertEquals(List.of(Kind.DNS, Kind.SMTP), a.kinds());
    assertEquals(50, SideArgs.parse(List.of("--scale", "0.001")).count(Kind.HTTPS));
    assertEquals(2_000, SideArgs.parse(List.of("--scale", "0.001")).quorateWarmUp(Kind.HTTPS));
    assertEquals(30_000, SideArgs.parse(List.of("--scale", "2")).quorateWarmUp(Kind.DNS));
    assertEquals(
        60_000,
        SideArgs.parse(List.of("--scale", "20")).quorateWarmUp(Kind.DNS),
        "half of 120,000");
  }

  @Test
  void rejectsUnknownIncompleteAndOutOfRangeArguments() {
    for (List<String> bad :
        List.of(
            List.of("--runs"),
            List.of("--bogus", "1"),
            List.of("--runs", "0"),
            List.of("--runs", "51"),
            List.of("--concurrency", "0"),
            List.of("--scale", "0"),
            List.of("--scale", "NaN"),
            List.of("--kinds", "dns,ftp"))) {
      assertThrows(IllegalArgumentException.class, () -> SideArgs.parse(bad), bad.toString());
    }
  }
}
