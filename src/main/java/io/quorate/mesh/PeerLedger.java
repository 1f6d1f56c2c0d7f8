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

  /** The sender's own time on the last accepted message (for identity clashes). */
  private Instant lastSentAt;

  /**
   * Fresh replays (an older seq sent after the last accepted message) that came between accepted
   * messages, in the current window: one sender can cause one (a delayed message overtaken after a
   * clock step) or a run without accepts (a restart whose seq floor was lost); only two agents
   * alternate.
   */
  private int alternations;

  private Instant alternationsSince;
  private boolean acceptedSinceFreshReplay = true;

  /** Alternations within this window that make a fresh replay an identity clash. */
  static final int CLASH_ALTERNATIONS = 2;

  static final Duration CLASH_WINDOW = Duration.ofMinutes(5);

  private Boolean configMatch;
  private Long offsetMs;
  private long maxObsSeq;

  /** When the peer said it was leaving (graceful stop), until its next accepted message. */
  private Instant leftAt;

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
      Map<String, Long> rejected,
      Instant leftAt) {}

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
        Collections.unmodifiableMap(counts),
        leftAt);
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
  synchronized Prior accept(
      long seq, Instant sentAt, Instant now, long offsetMs, boolean configMatches, long obs)
      throws MeshRejection {
    if (seq <= lastSeq) {
      if (lastSentAt != null && sentAt.isAfter(lastSentAt) && alternates(now)) {
        throw new MeshRejection(
            Reason.IDENTITY_CLASH,
            "seq "
                + seq
                + " is not above the last accepted "
                + lastSeq
                + " but was sent after it ("
                + sentAt
                + " > "
                + lastSentAt
                + "): another agent may be running as region "
                + region);
      }
      throw new MeshRejection(
          Reason.REPLAY, "seq " + seq + " is not above the last accepted " + lastSeq);
    }
    lastSentAt = sentAt;
    acceptedSinceFreshReplay = true;
    // a peer that left is not live, whenever it last spoke: its return triggers a catch-up pull
    Prior previous = new Prior(leftAt == null ? lastAcceptedAt : null, configMatch, maxObsSeq);
    leftAt = null;
    lastSeq = seq;
    lastAcceptedAt = now;
    this.offsetMs = offsetMs;
    this.configMatch = configMatches;
    maxObsSeq = Math.max(maxObsSeq, obs);
    return previous;
  }

  /**
   * Counts a fresh replay that follows an accepted message; whether such alternations now reach
   * {@link #CLASH_ALTERNATIONS} within {@link #CLASH_WINDOW}.
   */
  private boolean alternates(Instant now) {
    if (alternationsSince == null || now.isAfter(alternationsSince.plus(CLASH_WINDOW))) {
      alternations = 0;
      alternationsSince = now;
    }
    if (acceptedSinceFreshReplay) {
      alternations++;
      acceptedSinceFreshReplay = false;
    }
    return alternations >= CLASH_ALTERNATIONS;
  }

  /** The peer's accepted message said it is leaving (after {@link #accept} of that message). */
  synchronized void leave(Instant now) {
    leftAt = now;
  }

  /** Whether the peer's last accepted message said it is leaving. */
  synchronized boolean left() {
    return leftAt != null;
  }

  /**
   * A verified pull response counts as hearing from the peer, unless it left (a pull that crossed
   * its leaving message must not make it live again); returns the previous time.
   */
  synchronized Instant heard(Instant now, long obs) {
    Instant previous = lastAcceptedAt;
    if (leftAt != null) {
      return previous;
    }
    if (lastAcceptedAt == null || now.isAfter(lastAcceptedAt)) {
      lastAcceptedAt = now;
    }
    maxObsSeq = Math.max(maxObsSeq, obs);
    return previous;
  }
}
