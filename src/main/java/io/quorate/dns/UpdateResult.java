package io.quorate.dns;

/**
 * An UPDATE the primary accepted, with a verified TSIG on its answer.
 *
 * @param serverMs round trip of the UPDATE exchange
 * @param epoch the epoch written with it, or -1 when the zone has no epoch record
 * @param messageId the UPDATE's message id (for the audit log)
 */
public record UpdateResult(double serverMs, long epoch, int messageId) {}
