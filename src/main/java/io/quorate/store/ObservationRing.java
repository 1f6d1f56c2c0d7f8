package io.quorate.store;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.probe.TlsInfo;
import io.quorate.quorum.Observation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One target's most recent observations in primitive arrays (about 50 bytes each instead of a graph
 * of ~10 objects): sequence number, start time in epoch milliseconds, the four phase timings in
 * whole microseconds, outcome and error kind, and references to pooled region, detail, facts and
 * TLS facts. Everything the API shows survives the round trip: {@code startedAt} is shown in
 * milliseconds and timings are rounded to microseconds ({@code JsonViews}), so the JSON of a kept
 * observation is unchanged. Timings beyond ±35 minutes are clamped. The arrays grow to the capacity
 * given with each observation, then the newest overwrites the oldest; a smaller capacity drops the
 * oldest and shrinks the arrays. Not thread-safe: the owner holds a lock.
 */
final class ObservationRing {
  private static final int NONE = Integer.MIN_VALUE;
  private static final int INITIAL_SLOTS = 4;
  private static final int LONGS = 2; // seq, startedAt ms
  private static final int INTS = 5; // connect, tls, firstByte, total (µs), outcome | kind
  private static final int REFS = 4; // region, detail, facts, tls
  private static final Outcome[] OUTCOMES = Outcome.values();
  private static final ErrorKind[] KINDS = ErrorKind.values();

  private final String targetId;
  private long[] longs;
  private int[] ints;
  private Object[] refs;
  private int newest;
  private int size;

  ObservationRing(String targetId) {
    this.targetId = targetId;
    allocate(INITIAL_SLOTS);
    this.newest = slots() - 1;
  }

  int size() {
    return size;
  }

  /**
   * Keeps {@code o} as the newest and at most {@code capacity} (>= 1) in all, dropping the oldest;
   * shares values via {@code pool}.
   */
  void add(Observation o, Interner<Object> pool, int capacity) {
    if (slots() > capacity) {
      resize(capacity);
    } else if (size == slots() && size < capacity) {
      resize(Math.min(capacity, Math.max(INITIAL_SLOTS, size * 2)));
    }
    newest = (newest + 1) % slots();
    if (size < slots()) {
      size++;
    }
    ProbeResult r = o.result();
    int s = newest;
    longs[s * LONGS] = o.seq();
    longs[s * LONGS + 1] = r.startedAt().toEpochMilli();
    Timings t = r.timings();
    ints[s * INTS] = micros(t.connectMs());
    ints[s * INTS + 1] = micros(t.tlsMs());
    ints[s * INTS + 2] = micros(t.firstByteMs());
    ints[s * INTS + 3] = micros(t.totalMs());
    ints[s * INTS + 4] =
        r.outcome().ordinal() | (r.errorKind() == null ? 0 : r.errorKind().ordinal() + 1) << 8;
    refs[s * REFS] = pool.intern(o.region());
    refs[s * REFS + 1] = Pooled.detail(r.detail(), pool);
    refs[s * REFS + 2] = Pooled.facts(r.facts(), pool);
    refs[s * REFS + 3] = pool.intern(r.tls());
  }

  /** Newest first, at most {@code limit}, appended to {@code out}. */
  void copyTo(List<Observation> out, int limit) {
    int n = Math.min(limit, size);
    for (int i = 0; i < n; i++) {
      out.add(read((newest - i + slots()) % slots()));
    }
  }

  @SuppressWarnings("unchecked")
  private Observation read(int s) {
    int packed = ints[s * INTS + 4];
    int kind = packed >>> 8;
    Timings t =
        new Timings(
            millis(ints[s * INTS]),
            millis(ints[s * INTS + 1]),
            millis(ints[s * INTS + 2]),
            ints[s * INTS + 3] / 1000.0);
    ProbeResult r =
        new ProbeResult(
            targetId,
            OUTCOMES[packed & 0xff],
            kind == 0 ? null : KINDS[kind - 1],
            (String) refs[s * REFS + 1],
            Instant.ofEpochMilli(longs[s * LONGS + 1]),
            t,
            (TlsInfo) refs[s * REFS + 3],
            (Map<String, String>) refs[s * REFS + 2]);
    return new Observation((String) refs[s * REFS], longs[s * LONGS], r);
  }

  private int slots() {
    return longs.length / LONGS;
  }

  private void allocate(int slots) {
    longs = new long[slots * LONGS];
    ints = new int[slots * INTS];
    refs = new Object[slots * REFS];
  }

  /**
   * Copies the newest entries (at most {@code slots}) oldest first into {@code slots} new slots.
   */
  private void resize(int slots) {
    long[] oldLongs = longs;
    int[] oldInts = ints;
    Object[] oldRefs = refs;
    int old = slots();
    size = Math.min(size, slots);
    int oldest = (newest - size + 1 + old) % old;
    allocate(slots);
    for (int k = 0; k < size; k++) {
      int from = (oldest + k) % old;
      System.arraycopy(oldLongs, from * LONGS, longs, k * LONGS, LONGS);
      System.arraycopy(oldInts, from * INTS, ints, k * INTS, INTS);
      System.arraycopy(oldRefs, from * REFS, refs, k * REFS, REFS);
    }
    newest = (size - 1 + slots) % slots;
  }

  /** Milliseconds to whole microseconds as JsonViews rounds them; null to NONE; clamped. */
  static int micros(Double ms) {
    if (ms == null) {
      return NONE;
    }
    long us = Math.round(ms * 1000.0);
    return (int) Math.max(NONE + 1, Math.min(Integer.MAX_VALUE, us));
  }

  static Double millis(int micros) {
    return micros == NONE ? null : micros / 1000.0;
  }
}
