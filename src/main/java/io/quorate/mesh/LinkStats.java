package io.quorate.mesh;

import java.time.Instant;

/**
 * What a {@link PeerSender} last measured (immutable, published through a volatile field).
 *
 * @param lastAckAt when the peer last acknowledged a push (this agent's clock), or null
 * @param rttMs round-trip time of the last acknowledged push, or null
 * @param clockOffsetMs NTP-style estimate of the peer's clock minus ours, or null
 * @param failures consecutive failed pushes
 * @param lastError why the last push failed (e.g. {@code refused: skew}), or null
 * @param pending votes waiting to be sent
 */
record LinkStats(
    Instant lastAckAt,
    Long rttMs,
    Long clockOffsetMs,
    int failures,
    String lastError,
    int pending) {
  static final LinkStats NONE = new LinkStats(null, null, null, 0, null, 0);
}
