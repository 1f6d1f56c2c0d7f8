package io.quorate.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.probe.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HysteresisTest {

  /** Each row: fall, rise, outcomes (U=UP, D=DOWN, G=DEGRADED), expected status after each. */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(2, 2, "UU", "?U"),
        Arguments.of(2, 2, "DD", "?D"),
        Arguments.of(2, 2, "UDUD", "????"),
        Arguments.of(1, 1, "UDUD", "UDUD"),
        Arguments.of(2, 2, "UUDUU", "?UUUU"),
        Arguments.of(2, 2, "UUDDU", "?UUDD"),
        Arguments.of(2, 2, "UUDDUU", "?UUDDU"),
        Arguments.of(3, 2, "UUDDDU", "?UUUDD"),
        Arguments.of(2, 3, "DDUUU", "?DDDU"),
        Arguments.of(2, 2, "UUG", "?UU"),
        Arguments.of(2, 2, "UUGG", "?UUG"),
        Arguments.of(2, 2, "UUGGU", "?UUGG"),
        Arguments.of(2, 2, "UUGGUU", "?UUGGU"),
        Arguments.of(2, 2, "GG", "?G"),
        Arguments.of(2, 2, "DDUG", "?DDG"),
        Arguments.of(2, 2, "UUGDGD", "?UUGGG"),
        Arguments.of(2, 2, "UUDGDGDG", "?UUGGGGG"),
        Arguments.of(3, 2, "UUDGU", "?UUUU"),
        Arguments.of(2, 2, "GGDD", "?GGD"));
  }

  @ParameterizedTest(name = "fall={0} rise={1} {2} -> {3}")
  @MethodSource("table")
  void followsTheTable(int fall, int rise, String outcomes, String expected) {
    Hysteresis h = new Hysteresis(fall, rise);
    HysteresisState s = HysteresisState.INITIAL;
    List<String> got = new ArrayList<>();
    Instant t = Instant.parse("2026-11-22T00:00:00Z");
    for (char c : outcomes.toCharArray()) {
      t = t.plusSeconds(10);
      s = h.next(s, outcome(c), t);
      got.add(code(s.status()));
    }
    assertEquals(expected, String.join("", got));
  }

  @org.junit.jupiter.api.Test
  void countsTransitionsAndKeepsSince() {
    Hysteresis h = new Hysteresis(1, 1);
    Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
    HysteresisState s = h.next(HysteresisState.INITIAL, Outcome.UP, t0);
    assertEquals(1, s.transitions());
    assertEquals(t0, s.since());
    s = h.next(s, Outcome.UP, t0.plusSeconds(5));
    assertEquals(1, s.transitions());
    assertEquals(t0, s.since(), "since stays at the transition, not the latest result");
    s = h.next(s, Outcome.DOWN, t0.plusSeconds(9));
    assertEquals(2, s.transitions());
    assertEquals(t0.plusSeconds(9), s.since());
  }

  private static Outcome outcome(char c) {
    return switch (c) {
      case 'U' -> Outcome.UP;
      case 'D' -> Outcome.DOWN;
      case 'G' -> Outcome.DEGRADED;
      default -> throw new IllegalArgumentException("" + c);
    };
  }

  private static String code(Status s) {
    return switch (s) {
      case UP -> "U";
      case DOWN -> "D";
      case DEGRADED -> "G";
      case UNKNOWN -> "?";
      case MAINTENANCE -> "M";
    };
  }
}
