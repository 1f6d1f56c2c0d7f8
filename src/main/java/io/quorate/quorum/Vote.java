package io.quorate.quorum;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import java.time.Instant;
import java.util.Objects;

/**
 * One region's vote on one target: the status its own {@code fall}/{@code rise} hysteresis holds
 * after its latest observation. Regions exchange votes (not raw results), so a receiver needs only
 * the newest vote per (region, target) and nothing depends on delivery order.
 *
 * @param region the voting region
 * @param targetId the target voted on
 * @param status the region's hysteresis status (UNKNOWN until its hysteresis has settled)
 * @param since when the region's status last changed (its clock; informational)
 * @param obsSeq the sequence number of the observation behind the vote (newer wins)
 * @param receivedAt when <em>this</em> agent received the vote, by its own clock: freshness is
 *     judged from this, never from the sender's clock
 * @param outcome the latest single result behind the vote
 * @param errorKind why that result was not UP, or {@code null}
 * @param detail that result's short human detail
 */
public record Vote(
    String region,
    String targetId,
    Status status,
    Instant since,
    long obsSeq,
    Instant receivedAt,
    Outcome outcome,
    ErrorKind errorKind,
    String detail) {

  public Vote {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(targetId, "targetId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(outcome, "outcome");
    detail = detail == null ? "" : detail;
  }

  /** The same vote as received at {@code at} (a receiver stamps votes with its own clock). */
  public Vote receivedAt(Instant at) {
    return new Vote(region, targetId, status, since, obsSeq, at, outcome, errorKind, detail);
  }
}
