package io.quorate.quorum;

import io.quorate.config.Target;
import java.time.Instant;
import java.util.List;

/**
 * One target's quorum state inside {@link QuorumEngine}: the newest vote per region (indexed by
 * region position, not by name), when each stops being fresh, and the verdict of the last
 * evaluation with what it depended on, so that a sweep can skip a target whose evaluation would
 * come out the same. Not thread-safe: owned by the engine.
 */
final class TargetSlot {
  final Target target;
  final boolean reference;
  final int quorum;
  final long freshMs;

  /** Newest vote per canonical region index (the first position of that region id). */
  final Vote[] votes;

  /** {@code votes[i].receivedAt() + freshMs}: the last instant at which {@code votes[i]} counts. */
  final Instant[] freshUntil;

  Verdict verdict;

  /** When the last evaluation ran; {@code null} when the votes changed since (must evaluate). */
  private Instant evaluatedAt;

  /** The earliest {@link #freshUntil} among votes fresh at that evaluation; {@code null}: none. */
  private Instant unchangedUntil;

  /** The abstention array that evaluation used (compared by identity). */
  private boolean[] abstainedBy;

  TargetSlot(Target target, boolean reference, int quorum, long freshMs, List<String> regions) {
    this.target = target;
    this.reference = reference;
    this.quorum = quorum;
    this.freshMs = freshMs;
    this.votes = new Vote[regions.size()];
    this.freshUntil = new Instant[regions.size()];
    Verdict.VoteView[] views = new Verdict.VoteView[regions.size()];
    for (int i = 0; i < views.length; i++) {
      views[i] = new Verdict.VoteView(regions.get(i), null, false, false);
    }
    this.verdict = new Verdict(target.id(), Status.UNKNOWN, null, 0, false, quorum, List.of(views));
  }

  /**
   * A copy under new rules (a live reload changed the target's reference flag or its group's
   * quorum, ADR 0017): same votes and verdict history, re-evaluated at the next sweep.
   */
  TargetSlot withRules(boolean reference, int quorum) {
    return new TargetSlot(this, reference, quorum);
  }

  private TargetSlot(TargetSlot from, boolean reference, int quorum) {
    this.target = from.target;
    this.reference = reference;
    this.quorum = quorum;
    this.freshMs = from.freshMs;
    this.votes = from.votes.clone();
    this.freshUntil = from.freshUntil.clone();
    Verdict v = from.verdict;
    this.verdict =
        new Verdict(
            v.targetId(), v.state(), v.since(), v.transition(), v.contested(), quorum, v.votes());
  }

  /**
   * Stores {@code vote} (already clamped to the receiver's clock) for canonical region {@code r}.
   */
  void store(int r, Vote vote) {
    votes[r] = vote;
    freshUntil[r] = vote.receivedAt().plusMillis(freshMs);
    evaluatedAt = null;
  }

  boolean fresh(int r, Instant now) {
    return votes[r] != null && !now.isAfter(freshUntil[r]);
  }

  /**
   * True when evaluating at {@code now} with {@code abstaining} would give the verdict it holds:
   * votes unchanged, time not gone back, no fresh vote expired, same abstentions.
   */
  boolean unchanged(Instant now, boolean[] abstaining) {
    return evaluatedAt != null
        && abstainedBy == abstaining
        && !now.isBefore(evaluatedAt)
        && (unchangedUntil == null || !now.isAfter(unchangedUntil));
  }

  /**
   * Re-evaluates at {@code now}. {@code canon[i]} is the canonical index of region position {@code
   * i}; {@code abstaining} is indexed by canonical index. Returns the change, or {@code null}.
   * Unchanged vote views are reused, and an unchanged verdict is kept as it is.
   */
  VerdictChange evaluate(int[] canon, boolean[] abstaining, Instant now) {
    Verdict before = verdict;
    List<Verdict.VoteView> prev = before.votes();
    Verdict.VoteView[] views = null;
    Instant until = null;
    int up = 0;
    int down = 0;
    int degraded = 0;
    int unknown = 0;
    int stale = 0;
    int abstained = 0;
    for (int i = 0; i < canon.length; i++) {
      int r = canon[i];
      Vote v = votes[r];
      boolean fresh = fresh(r, now);
      boolean abst = !reference && abstaining[r];
      if (fresh && (until == null || freshUntil[r].isBefore(until))) {
        until = freshUntil[r];
      }
      Verdict.VoteView p = prev.get(i);
      if (p.vote() != v || p.fresh() != fresh || p.abstained() != abst) {
        if (views == null) {
          views = prev.toArray(new Verdict.VoteView[0]);
        }
        views[i] = new Verdict.VoteView(p.region(), v, fresh, abst);
      }
      // The buckets of VoteCounts.of, in the same order.
      if (abst) {
        abstained++;
      } else if (v != null && !fresh) {
        stale++;
      } else if (v == null || v.status() == Status.UNKNOWN) {
        unknown++;
      } else if (v.status() == Status.UP) {
        up++;
      } else if (v.status() == Status.DOWN) {
        down++;
      } else {
        degraded++;
      }
    }
    evaluatedAt = now;
    unchangedUntil = until;
    abstainedBy = abstaining;
    Status decided = new VoteCounts(up, down, degraded, unknown, stale, abstained).decide(quorum);
    Status state = decided == null ? before.state() : decided;
    boolean changed = state != before.state();
    if (!changed && views == null && before.contested() == (decided == null)) {
      return null;
    }
    verdict =
        new Verdict(
            before.targetId(),
            state,
            changed ? now : before.since(),
            changed ? before.transition() + 1 : before.transition(),
            decided == null,
            quorum,
            views == null ? prev : List.of(views));
    return changed ? new VerdictChange(before, verdict) : null;
  }
}
