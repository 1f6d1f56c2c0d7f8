package io.quorate.probe.heartbeat;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last ping of every heartbeat target, whichever region received it: newest wins, so a ping
 * relayed late through the mesh never hides a newer one. Bounded by the number of configured
 * targets (callers record only known ids). Thread-safe: the API and the mesh record from their own
 * event loops while probes read.
 */
public final class HeartbeatBook {
  /** Longest message kept from a ping ({@code ?msg=}). */
  public static final int MAX_MSG = 200;

  /**
   * One ping.
   *
   * @param at when the receiving region got it
   * @param ok {@code false} when the pinger reported failure
   * @param msg the pinger's message, at most {@link #MAX_MSG} characters ("" when none)
   */
  public record Ping(Instant at, boolean ok, String msg) {
    public Ping {
      Objects.requireNonNull(at, "at");
      msg = msg == null ? "" : msg;
      if (msg.length() > MAX_MSG) {
        throw new IllegalArgumentException("msg longer than " + MAX_MSG);
      }
    }
  }

  private final Map<String, Ping> last = new ConcurrentHashMap<>();

  /** Records {@code ping} unless a newer one is known; returns whether it was newer. */
  public boolean record(String targetId, Ping ping) {
    Ping[] kept = new Ping[1];
    last.merge(
        targetId,
        ping,
        (old, neu) -> {
          kept[0] = neu.at().isAfter(old.at()) ? neu : old;
          return kept[0];
        });
    return kept[0] == null || kept[0] == ping;
  }

  public Optional<Ping> last(String targetId) {
    return Optional.ofNullable(last.get(targetId));
  }
}
