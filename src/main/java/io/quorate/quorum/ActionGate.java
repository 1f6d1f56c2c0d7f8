package io.quorate.quorum;

import io.quorate.config.Target;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may act (write DNS, send an alert) now, from this region's point of view.
 *
 * <ul>
 *   <li><b>Live</b>: this region always; a peer while its last valid mesh message ({@link #heard})
 *       is at most {@code peerFreshnessMs} old.
 *   <li><b>Quorate</b>: at least {@code quorumSize} live regions. Since quorum sizes are strict
 *       majorities, at most one side of a partition is quorate.
 *   <li><b>Settled</b>: {@code settleMs} have passed since start, and at least {@code quorumSize}
 *       regions have delivered observations since start ({@link #observed}; this region counts once
 *       its own first observation was made). Once settled, always settled.
 *   <li><b>Rank</b>: this region's index among the live regions in configured order; -1 when not
 *       quorate.
 *   <li><b>Candidate since</b>: the later of the instant this agent last became quorate and the
 *       instant it became settled. Losing quorum, even briefly, ends the candidacy.
 *   <li><b>Decision</b>: REFUSE while not quorate or not settled; otherwise rank k may act from
 *       {@code max(candidateSince, dueSince) + k × standbyMs}, where {@code dueSince} is when the
 *       action became due (e.g. the verdict change's {@code since}); ACT when that instant has
 *       come, else WAIT until it. Rank 0 acts at once.
 * </ul>
 *
 * <p>Between two calls the live set can only shrink (peers expire; they come back only through
 * {@link #heard}), so checking quorum at every call, before applying it, sees every loss of quorum
 * exactly. Not thread-safe: one owner.
 */
public final class ActionGate {
  private final List<String> regions;
  private final String self;
  private final int quorumSize;
  private final long peerFreshnessMs;
  private final long settleMs;
  private final long standbyMs;
  private final Clock clock;
  private final Instant start;
  private final Instant settleEnd;

  /** Per region position: is it this region. */
  private final boolean[] isSelf;

  /** Per region position: last heard + peer freshness; {@code null} if never heard (or self). */
  private final Instant[] liveUntil;

  /** The live regions as last listed, and which positions they were (reused while unchanged). */
  private final boolean[] listedLive;

  private List<String> listed;
  private final Map<String, Instant> lastHeard = new HashMap<>();
  private final Set<String> observedRegions = new HashSet<>();
  private Instant quorumObservedAt;
  private Instant quorateSince;

  public ActionGate(
      List<String> regions,
      String self,
      int quorumSize,
      long peerFreshnessMs,
      long settleMs,
      long standbyMs,
      Clock clock) {
    this.regions = List.copyOf(regions);
    if (!this.regions.contains(self)) {
      throw new IllegalArgumentException("self region " + self + " is not configured");
    }
    if (quorumSize < 1 || quorumSize > this.regions.size()) {
      throw new IllegalArgumentException("impossible quorum " + quorumSize);
    }
    if (peerFreshnessMs < 0 || settleMs < 0 || standbyMs < 0) {
      throw new IllegalArgumentException("durations must be >= 0");
    }
    this.self = self;
    this.quorumSize = quorumSize;
    this.peerFreshnessMs = peerFreshnessMs;
    this.settleMs = settleMs;
    this.standbyMs = standbyMs;
    this.clock = clock;
    this.start = clock.instant();
    this.settleEnd = start.plusMillis(settleMs);
    this.isSelf = new boolean[this.regions.size()];
    for (int i = 0; i < isSelf.length; i++) {
      isSelf[i] = this.regions.get(i).equals(self);
    }
    this.liveUntil = new Instant[isSelf.length];
    this.listedLive = new boolean[isSelf.length];
    refresh(start);
  }

  /** The default settle period: twice the largest target interval. */
  public static long defaultSettleMs(Collection<Target> targets) {
    return 2 * targets.stream().mapToLong(Target::intervalMs).max().orElse(0);
  }

  /** A valid mesh message from {@code region} arrived now. Self and unknown regions: ignored. */
  public void heard(String region) {
    Instant now = clock.instant();
    refresh(now);
    if (!region.equals(self) && regions.contains(region)) {
      lastHeard.put(region, now);
      Instant until = now.plusMillis(peerFreshnessMs);
      for (int i = 0; i < liveUntil.length; i++) {
        if (regions.get(i).equals(region)) {
          liveUntil[i] = until;
        }
      }
    }
    refresh(now);
  }

  /**
   * {@code region} said it is stopping gracefully (ADR 0016): it is not live from now until it is
   * {@link #heard} again, so the next writer rank takes over without waiting for it to go stale.
   * Self and unknown regions: ignored.
   */
  public void left(String region) {
    if (region.equals(self)) {
      return;
    }
    for (int i = 0; i < liveUntil.length; i++) {
      if (regions.get(i).equals(region)) {
        liveUntil[i] = null;
      }
    }
    refresh(clock.instant());
  }

  /** Observations from {@code region} (or this agent's own first one) arrived now. */
  public void observed(String region) {
    Instant now = clock.instant();
    refresh(now);
    if (regions.contains(region)
        && observedRegions.add(region)
        && observedRegions.size() >= quorumSize
        && quorumObservedAt == null) {
      quorumObservedAt = now;
    }
  }

  public boolean quorate() {
    return refresh(clock.instant());
  }

  public boolean settled() {
    Instant at = settledAt();
    return at != null && !clock.instant().isBefore(at);
  }

  /** This region and the live peers, in configured (rank) order. */
  public List<String> liveRegions() {
    return live(clock.instant());
  }

  /** This region's index in {@link #liveRegions()}, or -1 when not quorate. */
  public int rank() {
    Instant now = clock.instant();
    return refresh(now) ? selfRank(now) : -1;
  }

  /** When the last valid message from {@code region} arrived; {@code null} if never, or self. */
  public Instant lastHeard(String region) {
    return lastHeard.get(region);
  }

  /** {@link #decide(Instant)} for an action that has been due since before this candidacy. */
  public Decision decide() {
    return decide(null);
  }

  /**
   * May this agent act now on something due since {@code dueSince} ({@code null}: long ago)? Later
   * issues also re-check DNS before a standby writes.
   */
  public Decision decide(Instant dueSince) {
    Instant now = clock.instant();
    if (!refresh(now)) {
      return Decision.refuse(Decision.NOT_QUORATE);
    }
    Instant settledAt = settledAt();
    if (settledAt == null || now.isBefore(settledAt)) {
      return Decision.refuse(Decision.SETTLING);
    }
    int rank = selfRank(now);
    Instant from = later(quorateSince, settledAt);
    if (dueSince != null) {
      from = later(from, dueSince);
    }
    Instant until = from.plusMillis(rank * standbyMs);
    return now.isBefore(until) ? Decision.waitUntil(rank, until) : Decision.act(rank);
  }

  /**
   * For an action every quorate agent takes on its own copy (an embedded zone): quorate and settled
   * are required, writer rank is not (each agent acts at once, as rank 0 would).
   */
  public Decision decideLocal() {
    Instant now = clock.instant();
    if (!refresh(now)) {
      return Decision.refuse(Decision.NOT_QUORATE);
    }
    Instant settledAt = settledAt();
    if (settledAt == null || now.isBefore(settledAt)) {
      return Decision.refuse(Decision.SETTLING);
    }
    return Decision.act(selfRank(now));
  }

  /** Re-checks quorum at {@code now}; tracks when it was last gained. Returns quorate. */
  private boolean refresh(Instant now) {
    int live = 0;
    for (int i = 0; i < isSelf.length; i++) {
      if (live(i, now)) {
        live++;
      }
    }
    boolean quorate = live >= quorumSize;
    if (!quorate) {
      quorateSince = null;
    } else if (quorateSince == null) {
      quorateSince = now;
    }
    return quorate;
  }

  private boolean live(int i, Instant now) {
    return isSelf[i] || (liveUntil[i] != null && !now.isAfter(liveUntil[i]));
  }

  /** Live regions in configured order: the same immutable list while the live set is unchanged. */
  private List<String> live(Instant now) {
    boolean same = listed != null;
    for (int i = 0; i < isSelf.length && same; i++) {
      same = live(i, now) == listedLive[i];
    }
    if (!same) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < isSelf.length; i++) {
        listedLive[i] = live(i, now);
        if (listedLive[i]) {
          out.add(regions.get(i));
        }
      }
      listed = List.copyOf(out);
    }
    return listed;
  }

  /** The index of this region among the live ones (self is always live). */
  private int selfRank(Instant now) {
    int rank = 0;
    for (int i = 0; !isSelf[i]; i++) {
      if (live(i, now)) {
        rank++;
      }
    }
    return rank;
  }

  private Instant settledAt() {
    return quorumObservedAt == null ? null : later(settleEnd, quorumObservedAt);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
