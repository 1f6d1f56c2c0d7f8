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
 * @param receipts alert deliveries the sender made, so standby senders skip them (optional on the
 *     wire: omitted when empty)
 * @param pings heartbeat pings the sender received, so every region judges heartbeat targets alike
 *     (optional on the wire: omitted when empty)
 */
public record MeshMessage(
    String region,
    long seq,
    Instant sentAt,
    String configHash,
    List<Vote> votes,
    List<Receipt> receipts,
    List<Ping> pings) {
  public MeshMessage {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(configHash, "configHash");
    votes = List.copyOf(votes);
    receipts = List.copyOf(receipts);
    pings = List.copyOf(pings);
  }

  /** A message without pings. */
  public MeshMessage(
      String region,
      long seq,
      Instant sentAt,
      String configHash,
      List<Vote> votes,
      List<Receipt> receipts) {
    this(region, seq, sentAt, configHash, votes, receipts, List.of());
  }

  /** A message without receipts. */
  public MeshMessage(String region, long seq, Instant sentAt, String configHash, List<Vote> votes) {
    this(region, seq, sentAt, configHash, votes, List.of(), List.of());
  }

  /**
   * The sender delivered alert {@code eventId} to channel {@code channel}.
   *
   * @param eventId the event's stable id
   * @param channel the channel id
   */
  public record Receipt(String eventId, String channel) {
    public Receipt {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(channel, "channel");
    }
  }

  /**
   * The sender received a heartbeat ping for {@code target} at {@code at} (its clock).
   *
   * @param target the heartbeat target's id
   * @param at when the sender received the ping
   * @param ok {@code false} when the pinger reported failure
   * @param msg the pinger's message ("" when none; bounded by the codec)
   */
  public record Ping(String target, Instant at, boolean ok, String msg) {
    public Ping {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(msg, "msg");
    }
  }

  public boolean heartbeat() {
    return votes.isEmpty();
  }
}
