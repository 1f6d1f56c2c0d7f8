package io.quorate.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded pool of equal immutable values so that many kept observations share one instance (the
 * same detail sentence, the same facts map, the same TLS facts). At most {@code max} values; when
 * full it starts over (values already handed out stay valid, only sharing is lost until the pool
 * fills again). Thread-safe.
 */
final class Interner<T> {
  private final int max;
  private final Map<T, T> pool = new ConcurrentHashMap<>();

  Interner(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1");
    }
    this.max = max;
  }

  /** The pooled instance equal to {@code value}, or {@code value} itself; null stays null. */
  @SuppressWarnings("unchecked") // an equal value: same class for records and strings, a Map
  <V extends T> V intern(V value) {
    if (value == null) {
      return null;
    }
    T pooled = pool.get(value);
    if (pooled != null) {
      return (V) pooled;
    }
    if (pool.size() >= max) {
      pool.clear(); // bounded: a pool of mostly unique values only costs sharing
    }
    pooled = pool.putIfAbsent(value, value);
    return pooled == null ? value : (V) pooled;
  }

  int size() {
    return pool.size();
  }
}
