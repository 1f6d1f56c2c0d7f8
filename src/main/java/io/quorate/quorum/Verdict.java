package io.quorate.quorum;

import java.time.Instant;
import java.util.List;

/**
 * The quorum's verdict on one target, as this agent computes it. Every agent holds every region's
 * votes, so every agent computes the same verdicts (up to delivery delays).
 *
 * @param targetId the target
 * @param state UP, DOWN, DEGRADED or UNKNOWN (never a reason to act)
 * @param since when this agent's verdict entered {@code state} ({@code null} while UNKNOWN from the
 *     start)
 * @param transition how many times this verdict changed (strictly increasing with each change)
 * @param contested enough fresh votes exist but neither side has {@code quorum} of them, so the
 *     previous state is kept
 * @param quorum how many regions must agree for this target
 * @param votes every region's latest vote on this target, with freshness, in region order
 */
public record Verdict(
    String targetId,
    Status state,
    Instant since,
    long transition,
    boolean contested,
    int quorum,
    List<VoteView> votes) {

  public Verdict {
    votes = List.copyOf(votes);
  }

  /**
   * A vote as it counts at evaluation time.
   *
   * @param region the region
   * @param vote its latest vote, or {@code null} if none was ever received
   * @param fresh received within the freshness window
   * @param abstained the region's reference checks fail, so its vote is not counted
   */
  public record VoteView(String region, Vote vote, boolean fresh, boolean abstained) {
    /** True when this vote counts toward the verdict. */
    public boolean counts() {
      return vote != null && fresh && !abstained && vote.status() != Status.UNKNOWN;
    }
  }
}
