package io.quorate.quorum;

import io.quorate.probe.ProbeResult;
import java.util.Objects;

/**
 * One probe result as the region that made it reports it: the unit the mesh exchanges and the
 * quorum counts.
 *
 * @param region the region that probed
 * @param seq the region's sequence number for this observation (strictly increasing per region)
 * @param result what the probe saw
 */
public record Observation(String region, long seq, ProbeResult result) {
  public Observation {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(result, "result");
  }

  public String targetId() {
    return result.targetId();
  }
}
