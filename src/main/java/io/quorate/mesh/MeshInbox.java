package io.quorate.mesh;

import io.quorate.config.Secret;
import io.quorate.mesh.MeshRejection.Reason;
import io.quorate.quorum.Vote;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates what peers send (no I/O): size, region, signature, shape, skew and replay, in that
 * order, and keeps per-peer state (last seq, last accepted time by <em>this</em> agent's clock,
 * rejected counts, config match, clock offset). Thread-safe: each peer's state is guarded by its
 * own {@link PeerLedger} monitor, so the HTTP server may run on several event loops.
 */
public final class MeshInbox {
  private static final Logger LOG = LoggerFactory.getLogger(MeshInbox.class);

  /** The metrics label for messages claiming a region that is not a peer. */
  public static final String UNKNOWN_PEER = "unknown";

  private final Map<String, MeshSigner> verifiers = new LinkedHashMap<>();
  private final Map<String, PeerLedger> ledgers = new LinkedHashMap<>();
  private final long maxSkewMs;
  private final Clock clock;
  private volatile String configHash;
  private final MeshCodec codec = new MeshCodec();
  private final MeshMetrics metrics;
  private final PeerLedger unknown = new PeerLedger(UNKNOWN_PEER);

  /** The outcome of one push. */
  public sealed interface Result permits Accepted, Rejected {}

  /**
   * An authentic, fresh, new message.
   *
   * @param receivedAt this agent's clock at receipt (the votes are stamped with it)
   * @param previousAcceptedAt when the previous message from that peer was accepted, or null
   * @param previousMaxObsSeq the highest vote obsSeq seen from that peer before this message
   */
  public record Accepted(
      MeshMessage message,
      String peer,
      Instant receivedAt,
      Instant previousAcceptedAt,
      long previousMaxObsSeq)
      implements Result {}

  /**
   * A refused message.
   *
   * @param peer the claimed region when it is a peer, else {@link #UNKNOWN_PEER}
   * @param authentic whether the signature was verified (then the response may be signed)
   */
  public record Rejected(
      Reason reason, String detail, String peer, Instant receivedAt, boolean authentic)
      implements Result {}

  /**
   * @param peerKeys each peer region's verification key (iteration order is kept for views)
   * @param maxSkewMs refuse a send time further than this from this agent's clock
   * @param configHash this agent's shared config hash, compared with each message's
   */
  public MeshInbox(
      Map<String, Secret> peerKeys,
      long maxSkewMs,
      Clock clock,
      String configHash,
      MeshMetrics metrics) {
    peerKeys.forEach(
        (region, key) -> {
          verifiers.put(region, new MeshSigner(key));
          ledgers.put(region, new PeerLedger(region));
        });
    this.maxSkewMs = maxSkewMs;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.configHash = Objects.requireNonNull(configHash, "configHash");
    this.metrics = metrics;
  }

  /**
   * This agent's shared config hash after a live reload (ADR 0017): each peer's match is judged
   * against it from its next message on.
   */
  public void configHash(String hash) {
    this.configHash = Objects.requireNonNull(hash, "hash");
  }

  /** Judges one push; the receipt time is this agent's clock now. */
  public Result accept(String regionHeader, String signatureHeader, Buffer body) {
    Instant now = clock.instant();
    PeerLedger ledger = regionHeader == null ? null : ledgers.get(regionHeader);
    Rejected early = screen(ledger, signatureHeader, body, now);
    if (early != null) {
      return early;
    }
    MeshMessage m;
    try {
      m = codec.decode(body, now);
      if (!m.region().equals(ledger.region)) {
        throw StrictJson.malformed("message.region differs from X-Quorate-Region");
      }
    } catch (MeshRejection e) {
      return reject(ledger, e.reason(), e.detail(), now, null, true);
    }
    return admit(ledger, m, now);
  }

  /** Size, region and signature: everything checked before the body is parsed. */
  private Rejected screen(PeerLedger ledger, String signatureHeader, Buffer body, Instant now) {
    if (body.length() > MeshCodec.MAX_BODY_BYTES) {
      return reject(ledger, Reason.TOO_LARGE, "body exceeds the size limit", now, null, false);
    }
    if (ledger == null) {
      return reject(
          null, Reason.UNKNOWN_REGION, "X-Quorate-Region is not a peer", now, null, false);
    }
    if (!verifiers.get(ledger.region).verify(body, signatureHeader)) {
      return reject(ledger, Reason.BAD_SIGNATURE, "signature does not verify", now, null, false);
    }
    return null;
  }

  /** Skew, then replay; an admitted message advances the peer's seq and liveness. */
  private Result admit(PeerLedger ledger, MeshMessage m, Instant now) {
    long offsetMs = Duration.between(now, m.sentAt()).toMillis();
    if (Math.abs(offsetMs) > maxSkewMs) {
      String detail =
          "sentAt is " + offsetMs + " ms from this agent's clock (max " + maxSkewMs + ")";
      return reject(ledger, Reason.SKEW, detail, now, offsetMs, true);
    }
    String ours = configHash;
    boolean match = ours.equals(m.configHash());
    PeerLedger.Prior prior;
    try {
      prior = ledger.accept(m.seq(), m.sentAt(), now, offsetMs, match, maxObsSeq(m.votes()));
    } catch (MeshRejection e) {
      return reject(ledger, e.reason(), e.detail(), now, null, true);
    }
    if (m.leaving()) {
      ledger.leave(now);
      LOG.info("mesh peer-leaving peer={} seq={}", ledger.region, m.seq());
    }
    if (!match && !Boolean.FALSE.equals(prior.configMatch())) {
      LOG.warn(
          "mesh config-drift peer={} theirs={} ours={}",
          ledger.region,
          clip(m.configHash()),
          clip(ours));
    } else if (match && Boolean.FALSE.equals(prior.configMatch())) {
      LOG.info("mesh config-drift-resolved peer={}", ledger.region);
    }
    if (metrics != null) {
      metrics.received(ledger.region, m.votes().size());
    }
    return new Accepted(m, ledger.region, now, prior.acceptedAt(), prior.maxObsSeq());
  }

  /**
   * Authenticates a pull request (signature over {@code GET\n<path?query>\n<date>}, date within
   * maxSkew); returns the rejection, or {@code null} when the request may be answered.
   */
  public Rejected authorizePull(
      String regionHeader, String dateHeader, String signatureHeader, String pathAndQuery) {
    Instant now = clock.instant();
    PeerLedger ledger = regionHeader == null ? null : ledgers.get(regionHeader);
    if (ledger == null) {
      return reject(
          null, Reason.UNKNOWN_REGION, "X-Quorate-Region is not a peer", now, null, false);
    }
    byte[] signed = MeshSigner.requestBytes("GET", pathAndQuery, String.valueOf(dateHeader));
    if (dateHeader == null || !verifiers.get(ledger.region).verify(signed, signatureHeader)) {
      return reject(ledger, Reason.BAD_SIGNATURE, "signature does not verify", now, null, false);
    }
    Instant date;
    try {
      date = dateHeader.length() > 40 ? null : Instant.parse(dateHeader);
    } catch (DateTimeParseException e) {
      date = null;
    }
    if (date == null) {
      return reject(
          ledger, Reason.MALFORMED, "X-Quorate-Date is not an RFC 3339 time", now, null, true);
    }
    long offsetMs = Duration.between(now, date).toMillis();
    if (Math.abs(offsetMs) > maxSkewMs) {
      return reject(
          ledger, Reason.SKEW, "X-Quorate-Date is " + offsetMs + " ms off", now, offsetMs, true);
    }
    return null;
  }

  /** Counts a push refused by the HTTP layer's body limit (its bytes were never read). */
  public Rejected tooLarge(String regionHeader) {
    PeerLedger ledger = regionHeader == null ? null : ledgers.get(regionHeader);
    return reject(
        ledger, Reason.TOO_LARGE, "body exceeds the size limit", clock.instant(), null, false);
  }

  /** Whether {@code peer}'s last accepted message said it is leaving (ADR 0016). */
  public boolean left(String peer) {
    PeerLedger ledger = ledgers.get(peer);
    return ledger != null && ledger.left();
  }

  /** Records a verified pull response from {@code peer}; returns the previous acceptance time. */
  public Instant heardByPull(String peer, long maxObsSeq, Instant at) {
    PeerLedger ledger = ledgers.get(peer);
    return ledger == null ? null : ledger.heard(at, maxObsSeq);
  }

  /** Immutable views of every peer, in configuration order. */
  List<PeerLedger.View> views() {
    return ledgers.values().stream().map(PeerLedger::view).toList();
  }

  /** One peer's view, or {@code null} when it is not a peer. */
  PeerLedger.View view(String peer) {
    PeerLedger l = ledgers.get(peer);
    return l == null ? null : l.view();
  }

  /** Rejections of messages that named no known peer, by reason. */
  public Map<String, Long> unknownRejections() {
    return unknown.view().rejected();
  }

  private Rejected reject(
      PeerLedger ledger,
      Reason reason,
      String detail,
      Instant now,
      Long offsetMs,
      boolean authentic) {
    PeerLedger l = ledger == null ? unknown : ledger;
    if (l.reject(reason, now, offsetMs)) {
      LOG.warn(
          "mesh rejected peer={} reason={} detail=\"{}\" (logged once a minute per reason)",
          l.region,
          reason.wireName(),
          detail);
    }
    if (metrics != null) {
      metrics.rejected(l.region, reason);
    }
    return new Rejected(reason, detail, l.region, now, authentic);
  }

  private static long maxObsSeq(List<Vote> votes) {
    long max = 0;
    for (Vote v : votes) {
      max = Math.max(max, v.obsSeq());
    }
    return max;
  }

  private static String clip(String hash) {
    return hash.length() <= 12 ? hash : hash.substring(0, 12);
  }
}
