package io.quorate.mesh;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This agent as a mesh sender: its region, signer, config hash, clock and message sequence.
 * Thread-safe.
 */
final class Identity {
  final String region;
  final MeshSigner signer;

  /** Replaced by a live reload (ADR 0017); every message after it carries the new hash. */
  volatile String configHash;

  final Clock clock;
  private final AtomicLong seq = new AtomicLong();

  Identity(String region, MeshSigner signer, String configHash, Clock clock) {
    this.region = region;
    this.signer = signer;
    this.configHash = configHash;
    this.clock = clock;
  }

  /**
   * The next message seq: above the previous one and at least {@code epochMillis × 1000}, so it
   * keeps growing across restarts (a restarted sender is not mistaken for a replay).
   */
  long nextSeq() {
    long floor = clock.millis() * 1000;
    return seq.updateAndGet(prev -> Math.max(prev + 1, floor));
  }

  /** The last seq handed out (0 before the first message). */
  long currentSeq() {
    return seq.get();
  }

  /**
   * Every later seq is above {@code floor}: a restart resumes above what the previous run may have
   * used, even when the clock was stepped back meanwhile.
   */
  void resumeAbove(long floor) {
    seq.accumulateAndGet(floor, Math::max);
  }
}
