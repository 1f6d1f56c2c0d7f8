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
 * @param windows maintenance windows created through the API, newest copy per id, shared with every
 *     region (optional on the wire: omitted when empty; ADR 0014)
 * @param leaving the sender is stopping gracefully and this is its last message: receivers drop it
 *     from their live set at once (optional on the wire: only {@code "leaving": true} in the final
 *     message; ADR 0016)
 */
public record MeshMessage(
    String region,
    long seq,
    Instant sentAt,
    String configHash,
    List<Vote> votes,
    List<Receipt> receipts,
    List<Ping> pings,
    List<Window> windows,
    boolean leaving) {
  public MeshMessage {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(sentAt, "sentAt");
    Objects.requireNonNull(configHash, "configHash");
    votes = List.copyOf(votes);
    receipts = List.copyOf(receipts);
    pings = List.copyOf(pings);
    windows = List.copyOf(windows);
  }

  /** A message without maintenance windows. */
  public MeshMessage(
      String region,
      long seq,
      Instant sentAt,
      String configHash,
      List<Vote> votes,
      List<Receipt> receipts,
      List<Ping> pings) {
    this(region, seq, sentAt, configHash, votes, receipts, pings, List.of(), false);
  }

  /** A message without pings. */
  public MeshMessage(
      String region,
      long seq,
      Instant sentAt,
      String configHash,
      List<Vote> votes,
      List<Receipt> receipts) {
    this(region, seq, sentAt, configHash, votes, receipts, List.of(), List.of(), false);
  }

  /** A message without receipts. */
  public MeshMessage(String region, long seq, Instant sentAt, String configHash, List<Vote> votes) {
    this(region, seq, sentAt, configHash, votes, List.of(), List.of(), List.of(), false);
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

  /**
   * A maintenance window created through the API, as every region stores and shares it: the newest
   * {@code updatedAt} per id wins; a deleted window is a tombstone.
   *
   * @param id the window id
   * @param title short text
   * @param description longer text ("" when none)
   * @param targets target ids covered
   * @param groups group ids covered
   * @param start one-off start, or {@code null} when recurring
   * @param end one-off end, or {@code null} when recurring
   * @param every the recurrence rule text, or {@code null} when one-off
   * @param failover {@code ACT} or {@code FREEZE}
   * @param announce shown on the status page
   * @param updatedAt when it was created or deleted (last writer wins)
   * @param deleted a tombstone
   */
  public record Window(
      String id,
      String title,
      String description,
      List<String> targets,
      List<String> groups,
      Instant start,
      Instant end,
      String every,
      String failover,
      boolean announce,
      Instant updatedAt,
      boolean deleted) {
    public Window {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(failover, "failover");
      Objects.requireNonNull(updatedAt, "updatedAt");
      targets = List.copyOf(targets);
      groups = List.copyOf(groups);
    }

    /** True when {@code other} replaces this copy: newer, or as new and a tombstone. */
    public boolean olderThan(Window other) {
      int c = updatedAt.compareTo(other.updatedAt);
      return c < 0 || (c == 0 && other.deleted && !deleted);
    }

    /** This window deleted at {@code at}. */
    public Window delete(Instant at) {
      return new Window(
          id, title, description, targets, groups, start, end, every, failover, announce, at, true);
    }
  }

  public boolean heartbeat() {
    return votes.isEmpty();
  }
}
