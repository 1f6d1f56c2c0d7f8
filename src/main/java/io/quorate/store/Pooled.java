package io.quorate.store;

import java.util.Map;

/** Which observation values go into the shared pool: small ones only, so the pool stays small. */
final class Pooled {
  /** Longest detail sentence that is pooled (longer ones are kept per observation). */
  static final int MAX_DETAIL = 256;

  /** Largest facts map that is pooled. */
  static final int MAX_FACTS = 16;

  private Pooled() {}

  static String detail(String detail, Interner<Object> pool) {
    return detail.length() > MAX_DETAIL ? detail : pool.intern(detail);
  }

  static Map<String, String> facts(Map<String, String> facts, Interner<Object> pool) {
    return facts.size() > MAX_FACTS ? facts : pool.intern(facts);
  }
}
