package io.quorate.quorum;

import io.quorate.config.Target;

/**
 * An immutable snapshot of one target's local state: safe to hand to any thread.
 *
 * @param target the target's configuration
 * @param state hysteresis state in this region
 * @param latest the most recent observation, or {@code null} before the first probe
 */
public record TargetStatus(Target target, HysteresisState state, Observation latest) {}
