package io.quorate.quorum;

/**
 * A verdict that changed state: the event that later drives failover and alerts. {@code
 * after.transition()} is strictly greater than {@code before.transition()}.
 */
public record VerdictChange(Verdict before, Verdict after) {}
