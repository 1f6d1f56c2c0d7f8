package io.quorate.probe;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one probe of one target. Probes never fail their future: every error becomes a
 * result with an {@link ErrorKind}.
 *
 * @param targetId the probed target
 * @param outcome UP, DOWN or DEGRADED
 * @param errorKind why it is not UP; {@code null} when UP
 * @param detail a short human sentence ("connect refused", "rcode SERVFAIL", "HTTP 503")
 * @param startedAt wall-clock time the probe started
 * @param timings phase timings
 * @param tls TLS facts when a TLS session was made, else {@code null}
 * @param facts small protocol-specific facts (SOA serials, HTTP status, banner), never secrets
 */
public record ProbeResult(
    String targetId,
    Outcome outcome,
    ErrorKind errorKind,
    String detail,
    Instant startedAt,
    Timings timings,
    TlsInfo tls,
    Map<String, String> facts) {

  public ProbeResult {
    Objects.requireNonNull(targetId, "targetId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(timings, "timings");
    detail = detail == null ? "" : detail;
    facts = facts == null ? Map.of() : Map.copyOf(facts);
    if (outcome == Outcome.UP && errorKind != null) {
      throw new IllegalArgumentException("an UP result has no errorKind");
    }
    if (outcome != Outcome.UP && errorKind == null) {
      throw new IllegalArgumentException(outcome + " needs an errorKind");
    }
  }

  public static ProbeResult up(
      String targetId,
      String detail,
      Instant startedAt,
      Timings timings,
      TlsInfo tls,
      Map<String, String> facts) {
    return new ProbeResult(targetId, Outcome.UP, null, detail, startedAt, timings, tls, facts);
  }

  public static ProbeResult down(
      String targetId, ErrorKind kind, String detail, Instant startedAt, Timings timings) {
    return new ProbeResult(targetId, Outcome.DOWN, kind, detail, startedAt, timings, null, null);
  }

  public ProbeResult withOutcome(Outcome newOutcome, ErrorKind kind, String newDetail) {
    return new ProbeResult(targetId, newOutcome, kind, newDetail, startedAt, timings, tls, facts);
  }

  public ProbeResult withTls(TlsInfo newTls) {
    return new ProbeResult(targetId, outcome, errorKind, detail, startedAt, timings, newTls, facts);
  }

  public boolean isUp() {
    return outcome == Outcome.UP;
  }
}
