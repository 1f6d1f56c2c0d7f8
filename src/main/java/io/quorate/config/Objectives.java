package io.quorate.config;

/**
 * Contract terms (SLA) and service level objectives (SLOs) from the shared file's {@code sla:} and
 * {@code slos:} keys.
 */
public record Objectives() {
  /** Nothing configured: the built-in defaults. */
  public static final Objectives NONE = new Objectives();
}
