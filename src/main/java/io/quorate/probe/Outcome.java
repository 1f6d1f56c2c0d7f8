package io.quorate.probe;

/** What one probe saw. DEGRADED means "answers, but not well": slow, busy, or close to expiry. */
public enum Outcome {
  UP,
  DOWN,
  DEGRADED
}
