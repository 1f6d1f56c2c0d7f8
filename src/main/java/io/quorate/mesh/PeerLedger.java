package io.quorate.mesh;

import io.quorate.mesh.MeshRejection.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the inbox knows about one peer. Mutable; every method is {@code synchronized} on the ledger
 * (one short critical section per message), so the HTTP server may run on any number of event
 * loops.
 */
final class PeerLedger {
  static final Duration LOG_EVERY = Duration.ofMinutes(1);

  final String region;
  private long lastSeq;
  private Instant lastAcceptedAt;
  private Boolean configMatch;
  private Long offsetMs;
  private long maxObsSeq;
  private final EnumMap<Reason, Long> rejected = new EnumMap<>(Reason.class);
  private final EnumMap<Reason, Instant> lastLogged = new EnumMap<>(Reason.class);

  PeerLedger(String region) {
    this.region = region;
  }

  /** An immutable view for the API and for the facade's liveness decisions. */
  record View(
      String region,
      long lastSeq,
      Instant lastAcceptedAt,
      Boolean configMatch,
      Long offsetMs,
      long maxObsSeq,
      Map<String, Long> rejected) {}

  synchronized View view() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Reason r : Reason.values()) {
      counts.put(r.wireName(), rejected.getOrDefault(r, 0L));
    }
    return new View(
        region,
        lastSeq,
        lastAcceptedAt,
        configMatch,
        offsetMs,
        maxObsSeq,
        Collections.unmodifiableMap(counts));
  }

  /**
   * Counts a rejection; returns whether it should be logged (once per reason per minute), and
   * records the one-way clock offset when the message was authentic (skew is then reported).
   */
  synchronized boolean reject(Reason reason, Instant now, Long offsetMs) {
    rejected.merge(reason, 1L, Long::sum);
    if (offsetMs != null) {
      this.offsetMs = offsetMs;
    }
    Instant last = lastLogged.get(reason);
    if (last == null || !now.isBefore(last.plus(LOG_EVERY))) {
      lastLogged.put(reason, now);
      return true;
    }
    return false;
  }

  /** What was known before a message was accepted. */
  record Prior(Instant acceptedAt, Boolean configMatch, long maxObsSeq) {}

  /**
   * Advances to {@code seq} if it is above the last accepted one (else throws replay) and returns
   * what was known before, for "was live" and drift-logging decisions.
   */
  synchronized Prior accept(long seq, Instant now, long offsetMs, boolean configMatches, long obs)
      throws MeshRejection {
    if (seq <= lastSeq) {
      throw new MeshRejection(
          Reason.REPLAY, "seq " + seq + " is not above the last accepted " + lastSeq);
    }
    Prior previous = new Prior(lastAcceptedAt, configMatch, maxObsSeq);
    lastSeq = seq;
    lastAcceptedAt = now;
    this.offsetMs = offsetMs;
    this.configMatch = configMatches;
    maxObsSeq = Math.max(maxObsSeq, obs);
    return previous;
  }

  /** A verified pull response counts as hearing from the peer; returns the previous time. */
  synchronized Instant heard(Instant now, long obs) {
    Instant previous = lastAcceptedAt;
    if (lastAcceptedAt == null || now.isAfter(lastAcceptedAt)) {
      lastAcceptedAt = now;
    }
    maxObsSeq = Math.max(maxObsSeq, obs);
    return previous;
  }
}
