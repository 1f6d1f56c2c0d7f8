package io.quorate.mesh;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable snapshot of one peer, for {@code GET /api/v1/regions} and quorate decisions.
 *
 * @param region the peer's region id
 * @param live whether its last valid message arrived within {@code quorum.peerFreshnessMs()}
 * @param lastSeen when its last valid message (push, or verified pull response) arrived, by this
 *     agent's clock; null if never
 * @param lastSeenAgoMs milliseconds since {@code lastSeen}; null if never
 * @param rttMs round-trip time of this agent's last acknowledged push to it; null if none yet
 * @param clockOffsetMs its clock minus ours: the NTP-style estimate from our pushes when there is
 *     one, else the one-way estimate from its messages; null if unknown
 * @param configMatch whether its shared config hash equals ours; null until its first message
 * @param rejected messages from it refused, by reason wire name (every reason present)
 * @param pendingVotes this agent's votes waiting to be pushed to it
 * @param sendFailures consecutive failed pushes to it
 * @param lastSendError why the last push failed (e.g. {@code refused: skew}); null when it worked
 * @param leftAt when it said it was stopping gracefully (then it is not live until it speaks again;
 *     ADR 0016); null otherwise
 */
public record PeerStatus(
    String region,
    boolean live,
    Instant lastSeen,
    Long lastSeenAgoMs,
    Long rttMs,
    Long clockOffsetMs,
    Boolean configMatch,
    Map<String, Long> rejected,
    int pendingVotes,
    int sendFailures,
    String lastSendError,
    Instant leftAt) {
  public PeerStatus {
    rejected = Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
  }
}
