package io.quorate.quorum;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The quorum engine as it was before the issue 8 optimisation, kept verbatim as the model that
 * {@link QuorumEngineEquivalenceTest} holds {@link QuorumEngine} to. Turns the regions' votes into
 * verdicts (see {@code docs/adr/0004-quorum-votes-not-results.md}).
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
 * owner must sweep periodically (votes go stale with time). Not thread-safe: one owner.
 */
final class ReferenceQuorumEngine {
  private final QuorateConfig config;
  private final Clock clock;
  private final Map<String, Target> targets = new LinkedHashMap<>();
  private final Set<String> references;
  private final Map<String, Map<String, Vote>> votes = new HashMap<>();
  private final Map<String, Verdict> verdicts = new LinkedHashMap<>();

  ReferenceQuorumEngine(QuorateConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.references = Set.copyOf(config.quorum().referenceTargets());
    for (Target t : config.targets()) {
      targets.put(t.id(), t);
      votes.put(t.id(), new HashMap<>());
      verdicts.put(t.id(), initial(t));
    }
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
    if (!store(vote, now)) {
      return Optional.empty();
    }
    return evaluate(targets.get(vote.targetId()), abstaining(now), now);
  }

  /**
   * Like {@link #accept}, but a vote on a reference target re-evaluates every target; returns every
   * change the vote caused, in config order.
   */
  public List<VerdictChange> acceptAll(Vote vote) {
    Instant now = clock.instant();
    if (!store(vote, now)) {
      return List.of();
    }
    if (references.contains(vote.targetId())) {
      return evaluateAll(now);
    }
    return evaluate(targets.get(vote.targetId()), abstaining(now), now).stream().toList();
  }

  /** Re-evaluates every target now (votes go stale with time); returns the changes. */
  public List<VerdictChange> sweep() {
    return evaluateAll(clock.instant());
  }

  /** The verdict on {@code targetId} as of the last evaluation, or {@code null} if unknown. */
  public Verdict verdict(String targetId) {
    return verdicts.get(targetId);
  }

  /** Every verdict as of the last evaluation, in config order. */
  public List<Verdict> verdicts() {
    return List.copyOf(verdicts.values());
  }

  /** True when {@code region}'s votes on all reference targets are fresh and DOWN now. */
  public boolean abstains(String region) {
    return abstains(region, clock.instant());
  }

  private boolean store(Vote vote, Instant now) {
    Map<String, Vote> byRegion = votes.get(vote.targetId());
    if (byRegion == null || !config.regions().contains(vote.region())) {
      return false;
    }
    Vote old = byRegion.get(vote.region());
    if (old != null && vote.obsSeq() <= old.obsSeq()) {
      return false;
    }
    // A receipt time ahead of our own clock cannot be true; never let it extend freshness.
    byRegion.put(vote.region(), vote.receivedAt().isAfter(now) ? vote.receivedAt(now) : vote);
    return true;
  }

  private List<VerdictChange> evaluateAll(Instant now) {
    Set<String> abstaining = abstaining(now);
    List<VerdictChange> out = new ArrayList<>();
    for (Target t : targets.values()) {
      evaluate(t, abstaining, now).ifPresent(out::add);
    }
    return out;
  }

  private Optional<VerdictChange> evaluate(Target t, Set<String> abstaining, Instant now) {
    boolean reference = references.contains(t.id());
    List<Verdict.VoteView> views = new ArrayList<>();
    for (String region : config.regions()) {
      Vote v = votes.get(t.id()).get(region);
      boolean abstained = !reference && abstaining.contains(region);
      views.add(new Verdict.VoteView(region, v, v != null && fresh(v, t, now), abstained));
    }
    int q = config.quorumFor(t);
    Status decided = VoteCounts.of(views).decide(q);
    Verdict before = verdicts.get(t.id());
    Status state = decided == null ? before.state() : decided;
    boolean changed = state != before.state();
    Verdict after =
        new Verdict(
            t.id(),
            state,
            changed ? now : before.since(),
            changed ? before.transition() + 1 : before.transition(),
            decided == null,
            q,
            views);
    verdicts.put(t.id(), after);
    return changed ? Optional.of(new VerdictChange(before, after)) : Optional.empty();
  }

  private Set<String> abstaining(Instant now) {
    Set<String> out = new HashSet<>();
    for (String region : config.regions()) {
      if (abstains(region, now)) {
        out.add(region);
      }
    }
    return out;
  }

  private boolean abstains(String region, Instant now) {
    if (references.isEmpty()) {
      return false;
    }
    for (String ref : references) {
      Target t = targets.get(ref);
      Vote v = t == null ? null : votes.get(ref).get(region);
      if (v == null || v.status() != Status.DOWN || !fresh(v, t, now)) {
        return false;
      }
    }
    return true;
  }

  private boolean fresh(Vote v, Target t, Instant now) {
    return !now.isAfter(v.receivedAt().plusMillis(config.quorum().freshnessMs(t.intervalMs())));
  }

  private Verdict initial(Target t) {
    List<Verdict.VoteView> views = new ArrayList<>();
    for (String region : config.regions()) {
      views.add(new Verdict.VoteView(region, null, false, false));
    }
    return new Verdict(t.id(), Status.UNKNOWN, null, 0, false, config.quorumFor(t), views);
  }
}
