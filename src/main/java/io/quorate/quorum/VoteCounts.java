package io.quorate.quorum;

import java.util.List;

/**
 * How the regions' votes on one target stand at one evaluation; every region lands in exactly one
 * bucket, so the buckets add up to the number of configured regions.
 *
 * @param up counting UP votes
 * @param down counting DOWN votes
 * @param degraded counting DEGRADED votes
 * @param unknown regions never heard from on this target, or whose fresh vote is UNKNOWN
 * @param stale regions whose latest vote is older than the freshness window
 * @param abstained regions that abstain (their reference targets all look DOWN from there)
 */
public record VoteCounts(int up, int down, int degraded, int unknown, int stale, int abstained) {

  /** Sorts {@code views} into buckets: abstained first, then stale, then unknown, then status. */
  public static VoteCounts of(List<Verdict.VoteView> views) {
    int up = 0;
    int down = 0;
    int degraded = 0;
    int unknown = 0;
    int stale = 0;
    int abstained = 0;
    for (Verdict.VoteView v : views) {
      if (v.abstained()) {
        abstained++;
      } else if (v.vote() != null && !v.fresh()) {
        stale++;
      } else if (v.vote() == null || v.vote().status() == Status.UNKNOWN) {
        unknown++;
      } else if (v.vote().status() == Status.UP) {
        up++;
      } else if (v.vote().status() == Status.DOWN) {
        down++;
      } else {
        degraded++;
      }
    }
    return new VoteCounts(up, down, degraded, unknown, stale, abstained);
  }

  /** Votes that count toward the verdict: fresh, not abstained, not UNKNOWN. */
  public int counting() {
    return up + down + degraded;
  }

  /**
   * The verdict rule for quorum {@code q}: fewer than {@code q} counting votes is UNKNOWN; else
   * {@code q} DOWN votes is DOWN; else {@code q} UP-or-DEGRADED votes is UP, or DEGRADED when
   * {@code q} of them are DEGRADED. Returns {@code null} when no side has {@code q} votes
   * (contested: the caller keeps its previous state).
   */
  public Status decide(int q) {
    if (counting() < q) {
      return Status.UNKNOWN;
    }
    if (down >= q) {
      return Status.DOWN;
    }
    if (up + degraded >= q) {
      return degraded >= q ? Status.DEGRADED : Status.UP;
    }
    return null;
  }
}
