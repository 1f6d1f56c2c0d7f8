package io.quorate.quorum;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns the regions' votes into verdicts (see {@code docs/adr/0004-quorum-votes-not-results.md}).
 *
 * <p>Keeps the newest vote per (region, target) by {@link Vote#obsSeq()}, so delivery order,
 * duplicates and replays do not matter and state is bounded by regions × targets. A vote counts
 * while it is fresh (this agent's clock − {@link Vote#receivedAt()} ≤ {@link
 * QuorateConfig.Quorum#freshnessMs(long)} of the target's interval), its region does not abstain,
 * and it is not UNKNOWN; {@link VoteCounts#decide(int)} is the rule, and a contested target keeps
 * its previous state. A region abstains on every non-reference target while all its votes on the
 * configured reference targets are fresh and DOWN.
 *
 * <p>Verdicts are re-evaluated only by {@link #accept}, {@link #acceptAll} and {@link #sweep}: the
 * owner must sweep periodically (votes go stale with time). A sweep skips a target whose votes,
 * freshness and abstentions have not changed since its last evaluation (the result would be the
 * same verdict). Not thread-safe: one owner.
 */
public final class QuorumEngine {
  private final Clock clock;
  private final Map<String, Integer> regionIndex = new HashMap<>();

  /** Region position → canonical index (the first position holding the same region id). */
  private final int[] canon;

  private final Map<String, TargetSlot> slots = new LinkedHashMap<>();
  private TargetSlot[] order;
  private Set<String> references;

  /** The reference targets' slots, or {@code null} when no region can abstain. */
  private TargetSlot[] referenceSlots;

  private final boolean[] noneAbstain;

  /** The last computed abstentions by canonical index; replaced, never mutated, on a change. */
  private boolean[] abstaining;

  public QuorumEngine(QuorateConfig config, Clock clock) {
    this.clock = clock;
    List<String> regions = config.regions();
    canon = new int[regions.size()];
    for (int i = 0; i < canon.length; i++) {
      canon[i] = regionIndex.computeIfAbsent(regions.get(i), r -> regionIndex.size());
    }
    noneAbstain = new boolean[canon.length];
    abstaining = noneAbstain;
    this.references = Set.copyOf(config.quorum().referenceTargets());
    for (Target t : config.targets()) {
      slots.put(t.id(), slot(config, t));
    }
    order = slots.values().toArray(new TargetSlot[0]);
    referenceSlots = referenceSlots();
  }

  private TargetSlot slot(QuorateConfig config, Target t) {
    long freshMs = config.quorum().freshnessMs(t.intervalMs());
    return new TargetSlot(
        t, references.contains(t.id()), config.quorumFor(t), freshMs, config.regions());
  }

  /**
   * A live reload (ADR 0017; {@code next} has the same regions and quorum timing): targets not in
   * {@code next} are forgotten with their votes, those in {@code restart} (added or changed) start
   * UNKNOWN without votes, and every other target keeps its votes and verdict history (under its
   * new reference flag and group quorum, if those changed). Returns nothing: the owner sweeps.
   */
  public void reconfigure(QuorateConfig next, Set<String> restart) {
    references = Set.copyOf(next.quorum().referenceTargets());
    Map<String, TargetSlot> now = new LinkedHashMap<>();
    for (Target t : next.targets()) {
      TargetSlot old = restart.contains(t.id()) ? null : slots.get(t.id());
      TargetSlot s = slot(next, t);
      if (old != null) {
        s =
            old.reference == s.reference && old.quorum == s.quorum
                ? old
                : old.withRules(s.reference, s.quorum);
      }
      now.put(t.id(), s);
    }
    slots.clear();
    slots.putAll(now);
    order = slots.values().toArray(new TargetSlot[0]);
    referenceSlots = referenceSlots();
    abstaining = noneAbstain;
  }

  private TargetSlot[] referenceSlots() {
    List<TargetSlot> out = new ArrayList<>();
    for (String ref : references) {
      TargetSlot s = slots.get(ref);
      if (s == null) {
        return null; // an unconfigured reference target never looks DOWN: nobody abstains
      }
      out.add(s);
    }
    return out.isEmpty() ? null : out.toArray(new TargetSlot[0]);
  }

  /**
   * The stated detection bound of {@code t}: {@code intervalMs × fall} to turn the regions' own
   * hysteresis, plus the exchange delay ({@code heartbeatMs + graceMs}).
   */
  public static long detectionBoundMs(Target t, QuorateConfig.Quorum q) {
    return t.intervalMs() * t.fall() + q.heartbeatMs() + q.graceMs();
  }

  /**
   * Stores {@code vote} and re-evaluates its target only; returns that target's change, if any. A
   * vote from an unknown region, on an unknown target, or not newer (by obsSeq) than the stored one
   * is ignored. A vote on a reference target may also change abstention, and so other targets'
   * verdicts: those are re-evaluated by the next {@link #sweep()} or at once by {@link #acceptAll}.
   * (Holding their changes for later would let a consumer see one target's changes out of
   * transition order.)
   */
  public Optional<VerdictChange> accept(Vote vote) {
    Instant now = clock.instant();
    TargetSlot s = store(vote, now);
    if (s == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(s.evaluate(canon, abstaining(now), now));
  }

  /**
   * Like {@link #accept}, but a vote on a reference target re-evaluates every target; returns every
   * change the vote caused, in config order.
   */
  public List<VerdictChange> acceptAll(Vote vote) {
    Instant now = clock.instant();
    TargetSlot s = store(vote, now);
    if (s == null) {
      return List.of();
    }
    if (s.reference) {
      return evaluateAll(now, null);
    }
    VerdictChange c = s.evaluate(canon, abstaining(now), now);
    return c == null ? List.of() : List.of(c);
  }

  /** Re-evaluates every target now (votes go stale with time); returns the changes. */
  public List<VerdictChange> sweep() {
    return evaluateAll(clock.instant(), null);
  }

  /**
   * Like {@link #sweep()}, and also hands {@code replaced} every verdict that is no longer the one
   * {@link #verdict} returned before (changed state, or changed votes, freshness or contest), in
   * config order: an owner that publishes copies of the verdicts updates just those.
   */
  public List<VerdictChange> sweep(Consumer<Verdict> replaced) {
    return evaluateAll(clock.instant(), replaced);
  }

  /** The verdict on {@code targetId} as of the last evaluation, or {@code null} if unknown. */
  public Verdict verdict(String targetId) {
    TargetSlot s = slots.get(targetId);
    return s == null ? null : s.verdict;
  }

  /** Every verdict as of the last evaluation, in config order. */
  public List<Verdict> verdicts() {
    Verdict[] out = new Verdict[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i].verdict;
    }
    return List.of(out);
  }

  /** True when {@code region}'s votes on all reference targets are fresh and DOWN now. */
  public boolean abstains(String region) {
    Integer r = regionIndex.get(region);
    return r != null && abstains(r, clock.instant());
  }

  /** Stores a newer vote; returns its target's slot, or {@code null} when the vote is ignored. */
  private TargetSlot store(Vote vote, Instant now) {
    TargetSlot s = slots.get(vote.targetId());
    Integer r = regionIndex.get(vote.region());
    if (s == null || r == null) {
      return null;
    }
    Vote old = s.votes[r];
    if (old != null && vote.obsSeq() <= old.obsSeq()) {
      return null;
    }
    // A receipt time ahead of our own clock cannot be true; never let it extend freshness.
    s.store(r, vote.receivedAt().isAfter(now) ? vote.receivedAt(now) : vote);
    return s;
  }

  private List<VerdictChange> evaluateAll(Instant now, Consumer<Verdict> replaced) {
    boolean[] abst = abstaining(now);
    List<VerdictChange> out = null;
    for (TargetSlot s : order) {
      if (s.unchanged(now, abst)) {
        continue;
      }
      Verdict before = s.verdict;
      VerdictChange c = s.evaluate(canon, abst, now);
      if (replaced != null && s.verdict != before) {
        replaced.accept(s.verdict);
      }
      if (c != null) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.add(c);
      }
    }
    return out == null ? List.of() : out;
  }

  /** Abstentions now; the same array object as long as they do not change. */
  private boolean[] abstaining(Instant now) {
    if (referenceSlots == null) {
      return noneAbstain;
    }
    boolean[] found = null;
    for (int r = 0; r < noneAbstain.length; r++) {
      if (abstains(r, now)) {
        if (found == null) {
          found = new boolean[noneAbstain.length];
        }
        found[r] = true;
      }
    }
    boolean[] next = found == null ? noneAbstain : found;
    if (!Arrays.equals(next, abstaining)) {
      abstaining = next;
    }
    return abstaining;
  }

  private boolean abstains(int r, Instant now) {
    if (referenceSlots == null) {
      return false;
    }
    for (TargetSlot ref : referenceSlots) {
      Vote v = ref.votes[r];
      if (v == null || v.status() != Status.DOWN || !ref.fresh(r, now)) {
        return false;
      }
    }
    return true;
  }
}
