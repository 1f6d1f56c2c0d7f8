package io.quorate.mesh;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quorate.mesh.MeshRejection.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mesh meters, tagged with this agent's {@code region} and the {@code peer} region. Messages that
 * name no known peer are counted under {@code peer="unknown"} (the raw header never becomes a
 * label, so label cardinality stays bounded). Thread-safe.
 */
public final class MeshMetrics {
  private final MeterRegistry registry;
  private final String region;
  private final Clock clock;
  private final Map<String, PeerMeters> peers = new ConcurrentHashMap<>();

  private final class PeerMeters {
    final Tags tags;
    final Counter messagesSent;
    final Counter votesSent;
    final Counter messagesReceived;
    final Counter votesReceived;
    final Counter sendFailures;
    final DistributionSummary batch;
    volatile double rttSeconds = Double.NaN;
    volatile double offsetSeconds = Double.NaN;
    volatile Instant lastSeen;

    PeerMeters(String peer) {
      tags = Tags.of("region", region, "peer", peer);
      messagesSent = counter("quorate.mesh.messages.sent", "Messages accepted by the peer");
      votesSent = counter("quorate.mesh.votes.sent", "Votes accepted by the peer");
      messagesReceived = counter("quorate.mesh.messages.received", "Valid messages received");
      votesReceived = counter("quorate.mesh.votes.received", "Votes in valid messages received");
      sendFailures = counter("quorate.mesh.send.failures", "Pushes that failed or were refused");
      batch =
          DistributionSummary.builder("quorate.mesh.batch.votes")
              .description("Votes per valid message received (0 = heartbeat)")
              .tags(tags)
              .register(registry);
      gauge("quorate.mesh.peer.rtt", "Round-trip time of the last push", m -> m.rttSeconds);
      gauge(
          "quorate.mesh.peer.clock.offset",
          "Peer clock minus this clock (estimate)",
          m -> m.offsetSeconds);
      gauge(
          "quorate.mesh.peer.last.seen.age",
          "Time since the peer's last valid message",
          PeerMeters::ageSeconds);
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    private void gauge(
        String name, String description, java.util.function.ToDoubleFunction<PeerMeters> f) {
      Gauge.builder(name, this, f)
          .description(description)
          .baseUnit("seconds")
          .tags(tags)
          .register(registry);
    }

    double ageSeconds() {
      Instant seen = lastSeen;
      return seen == null ? Double.NaN : (clock.millis() - seen.toEpochMilli()) / 1000.0;
    }
  }

  public MeshMetrics(MeterRegistry registry, String region, Clock clock) {
    this.registry = registry;
    this.region = region;
    this.clock = clock;
  }

  private PeerMeters peer(String peer) {
    return peers.computeIfAbsent(peer, PeerMeters::new);
  }

  /** Creates the per-peer meters up front so dashboards show every configured peer. */
  public void register(String peer) {
    peer(peer);
  }

  public void rejected(String peer, Reason reason) {
    registry
        .counter(
            "quorate.mesh.rejected",
            Tags.of("region", region, "peer", peer, "reason", reason.wireName()))
        .increment();
  }

  public void received(String peer, int votes) {
    PeerMeters m = peer(peer);
    m.messagesReceived.increment();
    m.votesReceived.increment(votes);
    m.batch.record(votes);
  }

  public void sent(String peer, int votes, long rttMs, long offsetMs) {
    PeerMeters m = peer(peer);
    m.messagesSent.increment();
    m.votesSent.increment(votes);
    m.rttSeconds = rttMs / 1000.0;
    m.offsetSeconds = offsetMs / 1000.0;
  }

  public void sendFailed(String peer) {
    peer(peer).sendFailures.increment();
  }

  public void offset(String peer, long offsetMs) {
    peer(peer).offsetSeconds = offsetMs / 1000.0;
  }

  public void lastSeen(String peer, Instant at) {
    peer(peer).lastSeen = at;
  }
}
