package io.quorate.mesh;

import io.quorate.quorum.Vote;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One mesh push: {@code {"region","seq","sentAt","configHash","votes":[...]}}. A heartbeat is a
 * message with no votes. Every vote's region is the message's region (a peer can only vote for
 * itself).
 *
 * @param region the sending region
 * @param seq strictly increasing per sender ({@code epochMillis × 1000}-based, so it keeps growing
 *     across restarts); a receiver refuses a seq not above the last one it accepted (replay)
 * @param sentAt the sender's clock when it built the message (checked against {@code maxSkewMs})
 * @param configHash SHA-256 (hex) of the sender's shared config, for drift detection
 * @param votes the sender's newest votes, at most one per target
 */
public record MeshMessage(
    String region, long seq, Instant sentAt, String configHash, List<Vote> votes) {
  public MeshMessage {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(configHash, "configHash");
    votes = List.copyOf(votes);
  }

  public boolean heartbeat() {
    return votes.isEmpty();
  }
}
