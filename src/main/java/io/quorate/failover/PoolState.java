package io.quorate.failover;

import io.quorate.config.Pool;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link FailoverPlanner} remembers about one pool between plans: operator switches (paused,
 * drained members, manual fail-back release), the freeze, when each member last became up (for
 * hold-down), and the changes applied recently (for the rate limit and flap detection).
 *
 * <p>Mutable, with one owner (the executor's verticle): other components get {@link #snapshot()}.
 * Plain Java, no I/O; time comes from the injected {@link Clock}. Nothing here is persisted: after
 * a restart the executor rebuilds it from the config and the verdicts, and the planner derives the
 * manual fail-back pin from the RRset it reads (see {@link FailoverPlanner}).
 */
public final class PoolState {
  private final Pool pool;
  private final Clock clock;
  private final Map<String, Instant> upSince = new HashMap<>();
  private final Set<String> drained = new LinkedHashSet<>();
  private final Deque<Instant> changes = new ArrayDeque<>();
  private boolean paused;
  private Freeze frozen;
  private Instant flapCountFrom = Instant.MIN;
  private Pin pin = Pin.NONE;
  private AppliedChange lastChange;

  /** Manual fail-back: whether traffic is held on backups. */
  enum Pin {
    /** Not on backups, or the pool fails back automatically. */
    NONE,
    /** On backups until an operator releases the pool. */
    PINNED,
    /** Released: back to primaries as soon as they are eligible. */
    RELEASED
  }

  /**
   * @param pool the pool's configuration; its members' {@code drained} flags are the initial value
   * @param clock time of operator actions and applied changes
   */
  public PoolState(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
    pool.members().stream().filter(Pool.Member::drained).forEach(m -> drained.add(m.id()));
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Records the verdict of {@code targetId} for every member bound to it: a member that becomes up
   * (UP, or DEGRADED when {@link Pool#degradedIsUp()}) is up since {@code at} (a member already up
   * keeps its instant); DOWN (or DEGRADED counted as down) forgets it; UNKNOWN changes nothing.
   */
  public void recordVerdict(String targetId, Status status, Instant at) {
    for (Pool.Member m : pool.members()) {
      if (!m.target().equals(targetId) || status == Status.UNKNOWN) {
        continue;
      }
      if (countsUp(status)) {
        upSince.putIfAbsent(m.id(), at);
      } else {
        upSince.remove(m.id());
      }
    }
  }

  /** {@link #recordVerdict(String, Status, Instant)} at the verdict's {@code since} (or now). */
  public void recordVerdict(Verdict verdict) {
    Instant now = clock.instant();
    Instant at = verdict.since() == null || verdict.since().isAfter(now) ? now : verdict.since();
    recordVerdict(verdict.targetId(), verdict.state(), at);
  }

  /** When {@code memberId} last became up, if it is up as far as this state knows. */
  public Optional<Instant> upSince(String memberId) {
    return Optional.ofNullable(upSince.get(memberId));
  }

  boolean countsUp(Status status) {
    return status == Status.UP || (status == Status.DEGRADED && pool.degradedIsUp());
  }

  /**
   * Records a change the executor has written (never a dry run or blocked plan). May freeze the
   * pool: more than {@link Pool#flapChanges()} changes within {@link Pool#flapWindowMs()} (counted
   * since the last {@link #resume()}).
   *
   * @return the freeze, exactly once: when this change caused it
   * @throws IllegalArgumentException for a plan that is not a written CHANGE of this pool
   */
  public Optional<Freeze> recordApplied(ChangePlan plan) {
    if (!plan.writes() || !plan.poolId().equals(pool.id())) {
      throw new IllegalArgumentException("not a written change of pool " + pool.id());
    }
    Instant at = clock.instant();
    changes.addLast(at);
    lastChange = new AppliedChange(at, plan.expected(), plan.desired());
    updatePin(plan.desired());
    long keepMs = Math.max(pool.windowMs(), pool.flapWindowMs());
    while (!changes.isEmpty() && !changes.peekFirst().isAfter(at.minusMillis(keepMs))) {
      changes.removeFirst();
    }
    if (frozen != null) {
      return Optional.empty();
    }
    Instant from = at.minusMillis(pool.flapWindowMs());
    long flaps = changes.stream().filter(t -> t.isAfter(from) && t.isAfter(flapCountFrom)).count();
    if (flaps <= pool.flapChanges()) {
      return Optional.empty();
    }
    frozen =
        new Freeze(
            at,
            flaps
                + " changes within "
                + pool.flapWindowMs()
                + " ms (more than flapChanges "
                + pool.flapChanges()
                + ")");
    return Optional.of(frozen);
  }

  private void updatePin(RRset desired) {
    if (pool.failback() != Pool.Failback.MANUAL) {
      return;
    }
    boolean onBackups =
        pool.members().stream()
            .anyMatch(m -> m.role() == Pool.Role.BACKUP && desired.values().contains(m.value()));
    if (!onBackups) {
      pin = Pin.NONE;
    } else if (pin != Pin.RELEASED) {
      pin = Pin.PINNED;
    }
  }

  /** How many changes were applied in the {@code windowMs} before {@code now}. */
  public int changesWithin(long windowMs, Instant now) {
    Instant from = now.minusMillis(windowMs);
    return (int) changes.stream().filter(t -> t.isAfter(from) && !t.isAfter(now)).count();
  }

  /** Stops writes until {@link #resume()}; false when already paused. */
  public boolean pause() {
    boolean changed = !paused;
    paused = true;
    return changed;
  }

  /**
   * Clears the pause and the freeze; flap detection then counts only changes after now. False when
   * neither was set.
   */
  public boolean resume() {
    boolean changed = paused || frozen != null;
    paused = false;
    if (frozen != null) {
      frozen = null;
      flapCountFrom = clock.instant();
    }
    return changed;
  }

  /**
   * Manual fail-back: lets traffic return to the primaries once they are eligible (the release
   * lasts until a change leaves the backups). False when the pool fails back automatically or is
   * already released.
   */
  public boolean release() {
    if (pool.failback() != Pool.Failback.MANUAL || pin == Pin.RELEASED) {
      return false;
    }
    pin = Pin.RELEASED;
    return true;
  }

  /**
   * Keeps {@code memberId} out of the RRset; false when already drained.
   *
   * @throws UnknownMemberException when the pool has no such member
   */
  public boolean drain(String memberId) {
    requireMember(memberId);
    return drained.add(memberId);
  }

  /** Lets {@code memberId} back in; false when it was not drained. */
  public boolean undrain(String memberId) {
    requireMember(memberId);
    return drained.remove(memberId);
  }

  private void requireMember(String memberId) {
    if (pool.members().stream().noneMatch(m -> m.id().equals(memberId))) {
      throw new UnknownMemberException(pool.id(), memberId);
    }
  }

  public boolean paused() {
    return paused;
  }

  public Optional<Freeze> frozen() {
    return Optional.ofNullable(frozen);
  }

  /** Manual fail-back holds traffic on backups (recorded from an applied change). */
  public boolean pinned() {
    return pin == Pin.PINNED;
  }

  /** An operator released the manual fail-back pin and the pool has not left backups yet. */
  public boolean released() {
    return pin == Pin.RELEASED;
  }

  public Set<String> drained() {
    return Collections.unmodifiableSet(drained);
  }

  public Optional<AppliedChange> lastChange() {
    return Optional.ofNullable(lastChange);
  }

  /** An immutable copy for other components (API, audit). */
  public Snapshot snapshot() {
    return new Snapshot(
        pool.id(),
        paused,
        frozen,
        pinned(),
        released(),
        Set.copyOf(drained),
        lastChange,
        List.copyOf(changes));
  }

  /**
   * Why and since when a pool is frozen.
   *
   * @param since when the change that froze it was applied
   * @param why e.g. {@code 7 changes within 600000 ms (more than flapChanges 6)}
   */
  public record Freeze(Instant since, String why) {}

  /**
   * A change the executor wrote.
   *
   * @param at when it was recorded
   * @param from the RRset it replaced
   * @param to the RRset written
   */
  public record AppliedChange(Instant at, RRset from, RRset to) {}

  /**
   * An immutable view of a pool's state.
   *
   * @param poolId the pool
   * @param paused writes stopped by an operator
   * @param frozen the freeze, or {@code null}
   * @param pinned manual fail-back holds traffic on backups
   * @param released an operator released the pin; traffic returns when primaries are eligible
   * @param drained member ids kept out by operators (or by config)
   * @param lastChange the last applied change, or {@code null}
   * @param recentChanges when recent changes were applied (within the larger of both windows)
   */
  public record Snapshot(
      String poolId,
      boolean paused,
      Freeze frozen,
      boolean pinned,
      boolean released,
      Set<String> drained,
      AppliedChange lastChange,
      List<Instant> recentChanges) {}

  /** An operator named a member the pool does not have. */
  public static final class UnknownMemberException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnknownMemberException(String poolId, String memberId) {
      super("pool " + poolId + " has no member \"" + memberId + "\"");
    }
  }
}
