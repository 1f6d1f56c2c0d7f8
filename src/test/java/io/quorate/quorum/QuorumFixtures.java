package io.quorate.quorum;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.probe.Outcome;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine-test fixtures: regions a, b, c, …; targets web, core (group "core", quorum 3), ref1 and
 * ref2, all probed every 10 s; votes written as one-letter codes.
 */
final class QuorumFixtures {
  static final long INTERVAL = 10_000;
  static final long FRESH = 3 * INTERVAL + QuorateConfig.Quorum.DEFAULT_GRACE_MS;

  private final MutableClock clock;
  private long seq = 1_000;

  QuorumFixtures(MutableClock clock) {
    this.clock = clock;
  }

  static String region(int i) {
    return String.valueOf((char) ('a' + i));
  }

  static QuorateConfig config(int regions, List<String> refs) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < regions; i++) {
      ids.add(region(i));
    }
    QuorateConfig.Quorum q =
        new QuorateConfig.Quorum(
            QuorateConfig.majority(regions),
            QuorateConfig.Quorum.DEFAULT_GRACE_MS,
            60_000,
            1_000,
            5_000,
            refs);
    List<Target> targets =
        List.of(
            Targets.fake("web", INTERVAL, 5_000),
            Targets.inGroup(Targets.fake("core", INTERVAL, 5_000), "core", 2),
            Targets.fake("ref1", INTERVAL, 5_000),
            Targets.fake("ref2", INTERVAL, 5_000));
    return new QuorateConfig(
        ids,
        q,
        QuorateConfig.Defaults.DEFAULT,
        List.of(new QuorateConfig.Group("core", "Core", "", 3)),
        targets,
        List.of(),
        List.of());
  }

  /**
   * A vote received now: U, D, G (DEGRADED) or ? (UNKNOWN); lower case u, d: received just past the
   * freshness window. Each vote has the next obsSeq.
   */
  Vote vote(String region, String target, char code) {
    boolean stale = Character.isLowerCase(code);
    Status s =
        switch (Character.toUpperCase(code)) {
          case 'U' -> Status.UP;
          case 'D' -> Status.DOWN;
          case 'G' -> Status.DEGRADED;
          case '?' -> Status.UNKNOWN;
          default -> throw new IllegalArgumentException("code " + code);
        };
    Outcome o =
        s == Status.DOWN ? Outcome.DOWN : s == Status.DEGRADED ? Outcome.DEGRADED : Outcome.UP;
    Instant received = stale ? clock.instant().minusMillis(FRESH + 1) : clock.instant();
    return new Vote(region, target, s, clock.instant(), ++seq, received, o, null, "");
  }

  static Vote at(Vote v, long obsSeq) {
    return new Vote(
        v.region(),
        v.targetId(),
        v.status(),
        v.since(),
        obsSeq,
        v.receivedAt(),
        v.outcome(),
        v.errorKind(),
        v.detail());
  }
}
