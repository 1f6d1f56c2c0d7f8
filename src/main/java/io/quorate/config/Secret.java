package io.quorate.config;

import java.util.Objects;

/**
 * A resolved secret (password, token, key). Its {@link #toString()} never reveals the value, so a
 * record holding one can be logged or printed safely; call {@link #reveal()} only where the value
 * is used.
 *
 * @param reference where it came from, e.g. {@code ${env:QUORATE_TOKEN}} (safe to show)
 */
public record Secret(String reference, String value) {
  public Secret {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(value, "value");
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "Secret[" + reference + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.reference.equals(reference) && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return reference.hashCode();
  }
}
