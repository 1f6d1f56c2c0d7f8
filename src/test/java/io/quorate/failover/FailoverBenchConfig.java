package io.quorate.failover;

import io.quorate.testsupport.NginxMember;
import java.util.List;

/** The failover test's shared config, for the failover-time benchmark. */
public final class FailoverBenchConfig {
  private FailoverBenchConfig() {}

  public static String shared(int dnsPort, List<NginxMember> members) {
    // the benchmark kills and restarts members on purpose: no flap freeze, no rate limit
    return FailoverTest.shared(dnsPort, members)
        .replace(
            "    holdDownMs: 2500\n",
            "    holdDownMs: 2500\n    flapChanges: 1000\n" + "    maxChangesPerWindow: 1000\n");
  }
}
