package io.quorate.testsupport;

import io.quorate.config.Check;
import io.quorate.config.DnsCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;

/** Builds targets for tests that don't go through the config loader. */
public final class Targets {
  private Targets() {}

  /** A DNS target (any check works for scheduler tests: the probe is a fake). */
  public static Target fake(String id, long intervalMs, long timeoutMs) {
    Check c =
        new DnsCheck(
            "example.test",
            "A",
            "udp",
            "NOERROR",
            false,
            false,
            DnsCheck.AnswerAssertions.NONE,
            null);
    return new Target(
        id, ProbeType.DNS, null, "127.0.0.1", 53, intervalMs, timeoutMs, null, 2, 2, c);
  }

  public static Target withThreshold(Target t, Long degradedAboveMs) {
    return new Target(
        t.id(),
        t.type(),
        t.group(),
        t.address(),
        t.port(),
        t.intervalMs(),
        t.timeoutMs(),
        degradedAboveMs,
        t.fall(),
        t.rise(),
        t.check());
  }

  /** {@code t} in {@code group}, with its own {@code fall}. */
  public static Target inGroup(Target t, String group, int fall) {
    return new Target(
        t.id(),
        t.type(),
        group,
        t.address(),
        t.port(),
        t.intervalMs(),
        t.timeoutMs(),
        t.degradedAboveMs(),
        fall,
        t.rise(),
        t.check());
  }
}
