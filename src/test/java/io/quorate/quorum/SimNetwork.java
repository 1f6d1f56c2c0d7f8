package io.quorate.quorum;

import io.quorate.testsupport.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulation's mesh: random delay (so reordering), loss and duplication per seed, and a pool of
 * already delivered messages to replay. The observer's own votes are never lost or delayed.
 */
final class SimNetwork {
  /** A vote in flight, and whether a faulty vantage point produced it. */
  record Msg(Vote vote, long deliverAt, boolean tainted) {}

  final long maxDelayMs;
  private final double loss;
  private final double dup;
  private final SplittableRandom rnd;
  private final MutableClock clock;
  private final List<Msg> inFlight = new ArrayList<>();
  private final List<Msg> delivered = new ArrayList<>();

  SimNetwork(SplittableRandom rnd, MutableClock clock) {
    this.rnd = rnd;
    this.clock = clock;
    maxDelayMs = rnd.nextLong(1, 3_001);
    loss = rnd.nextDouble(0, 0.3);
    dup = rnd.nextDouble(0, 0.2);
  }

  private long now() {
    return clock.instant().toEpochMilli();
  }

  void send(boolean local, Vote v, boolean tainted) {
    if (local) {
      inFlight.add(new Msg(v, now(), tainted));
      return;
    }
    if (rnd.nextDouble() < loss) {
      return;
    }
    int copies = rnd.nextDouble() < dup ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      inFlight.add(new Msg(v, now() + rnd.nextLong(0, maxDelayMs + 1), tainted));
    }
  }

  boolean hasDue() {
    for (Msg m : inFlight) {
      if (m.deliverAt() <= now()) {
        return true;
      }
    }
    return false;
  }

  /** A random message among those due (so reordered); {@code null} when none is due. */
  Msg takeDue() {
    List<Integer> due = new ArrayList<>();
    for (int i = 0; i < inFlight.size(); i++) {
      if (inFlight.get(i).deliverAt() <= now()) {
        due.add(i);
      }
    }
    if (due.isEmpty()) {
      return null;
    }
    Msg m = inFlight.remove((int) due.get(rnd.nextInt(due.size())));
    delivered.add(m);
    if (delivered.size() > 200) {
      delivered.remove(rnd.nextInt(delivered.size()));
    }
    return m;
  }

  /** A late duplicate or replay of something already delivered; {@code null} if nothing was. */
  Msg replay() {
    return delivered.isEmpty() ? null : delivered.get(rnd.nextInt(delivered.size()));
  }
}
