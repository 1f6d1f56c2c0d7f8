package io.quorate.alert;

import io.quorate.agent.QuorumService;
import io.quorate.mesh.MeshMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Who sends, across regions: the quorate agent of writer rank 0 sends at once; rank k sends after
 * {@code k × standbyMs} from when the event was raised, unless a receipt for that event and channel
 * arrived through the mesh (then the delivery is skipped). An agent that is not quorate waits —
 * except for events about itself being cut off ({@code quorum.lost} about its own region), which
 * only it can send. Receipts are kept in a bounded map (the oldest forgotten first).
 */
public final class MeshSendPolicy implements SendPolicy {
  /** Receipts remembered at most. */
  static final int MAX_RECEIPTS = 50_000;

  /** How long a non-quorate agent waits before asking again. */
  static final long NOT_QUORATE_RETRY_MS = 5_000;

  private final String self;
  private final Supplier<QuorumService.GateStatus> gate;
  private final long standbyMs;
  private final Clock clock;
  private final Consumer<MeshMessage.Receipt> publish;
  private final Map<String, String> receipts =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_RECEIPTS;
        }
      };

  /**
   * @param gate this agent's quorum status now (quorate, rank)
   * @param publish sends a receipt to every peer
   */
  public MeshSendPolicy(
      String self,
      Supplier<QuorumService.GateStatus> gate,
      long standbyMs,
      Clock clock,
      Consumer<MeshMessage.Receipt> publish) {
    this.self = self;
    this.gate = gate;
    this.standbyMs = standbyMs;
    this.clock = clock;
    this.publish = publish;
  }

  /** A peer delivered an event to a channel (from the mesh; any thread). */
  public void received(String peer, MeshMessage.Receipt r) {
    synchronized (receipts) {
      receipts.put(r.eventId() + "|" + r.channel(), peer);
    }
  }

  @Override
  public Decision decide(AlertEvent event, String channelId, Instant raisedAt) {
    String by;
    synchronized (receipts) {
      by = receipts.get(event.id() + "|" + channelId);
    }
    if (by != null) {
      return Decision.skip("delivered by " + by);
    }
    if ("quorum.lost".equals(event.kind()) && self.equals(event.subject())) {
      return Decision.SEND; // "I am cut off": nobody else can say it
    }
    QuorumService.GateStatus g = gate.get();
    Instant now = clock.instant();
    if (g == null || !g.quorate() || g.rank() < 0) {
      return Decision.waitUntil(now.plusMillis(NOT_QUORATE_RETRY_MS), "not quorate");
    }
    Instant from = raisedAt.plusMillis(g.rank() * standbyMs);
    return now.isBefore(from)
        ? Decision.waitUntil(from, "writer rank " + g.rank() + " waits for a receipt until " + from)
        : Decision.SEND;
  }

  @Override
  public void delivered(String eventId, String channelId) {
    publish.accept(new MeshMessage.Receipt(eventId, channelId));
  }
}
