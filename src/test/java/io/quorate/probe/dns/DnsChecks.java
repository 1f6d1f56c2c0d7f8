package io.quorate.probe.dns;

import io.quorate.config.DnsCheck;
import io.quorate.config.DnsCheck.AnswerAssertions;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeResult;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small builders shared by the DNS probe tests. */
final class DnsChecks {
  private DnsChecks() {}

  static DnsCheck query(String name, String qtype) {
    return new DnsCheck(name, qtype, null, null, false, false, null, null);
  }

  static DnsCheck query(String name, String qtype, AnswerAssertions answer) {
    return new DnsCheck(name, qtype, null, null, false, false, answer, null);
  }

  static DnsCheck with(DnsCheck c, String transport, String rcode, boolean aa) {
    return new DnsCheck(
        c.name(),
        c.qtype(),
        transport,
        rcode,
        aa,
        c.recursionDesired(),
        c.answer(),
        c.consistency());
  }

  static DnsCheck consistency(String zone, List<String> servers) {
    return new DnsCheck(
        zone, "SOA", null, null, false, false, null, new DnsCheck.Consistency(zone, servers));
  }

  static AnswerAssertions equalsSet(String... values) {
    return new AnswerAssertions(List.of(values), null, null, false, null, null);
  }

  static AnswerAssertions contains(String... values) {
    return new AnswerAssertions(null, List.of(values), null, false, null, null);
  }

  static AnswerAssertions count(int n) {
    return new AnswerAssertions(null, null, n, false, null, null);
  }

  static AnswerAssertions ttl(Long min, Long max) {
    return new AnswerAssertions(null, null, null, false, min, max);
  }

  static AnswerAssertions nonEmpty() {
    return new AnswerAssertions(null, null, null, true, null, null);
  }

  static Target target(String host, int port, long timeoutMs, DnsCheck check) {
    return new Target(
        "dns-test", ProbeType.DNS, null, host, port, 10_000, timeoutMs, null, 2, 2, check);
  }

  /** Runs the probe from the test thread (never an event loop) with a generous outer limit. */
  static ProbeResult run(Probe probe, Target t) throws Exception {
    return probe
        .run(t)
        .toCompletionStage()
        .toCompletableFuture()
        .get(t.timeoutMs() + 5_000, TimeUnit.MILLISECONDS);
  }
}
