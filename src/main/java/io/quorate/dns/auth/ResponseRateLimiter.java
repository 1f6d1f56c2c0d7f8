package io.quorate.dns.auth;

import io.quorate.config.DnsZone;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Response-rate limiting over UDP, in the spirit of BIND's RRL: per zone and client network (/24
 * for IPv4, /56 for IPv6) at most {@code responsesPerSecond} responses per one-second window;
 * beyond, responses are dropped except every {@code slip}-th, which goes out as an empty truncated
 * answer so a real client retries over TCP (never limited). Memory is bounded: at most {@link
 * #MAX_ENTRIES} networks are tracked, the least recently seen evicted first. Not thread-safe: one
 * instance per event loop (the server verticle's).
 */
public final class ResponseRateLimiter {
  /** Client networks tracked at once (about 100 bytes each). */
  public static final int MAX_ENTRIES = 16_384;

  /** What to do with one response. */
  public enum Action {
    SEND,
    DROP,
    SLIP
  }

  private record Key(String zone, byte[] prefix) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && zone.equals(k.zone) && Arrays.equals(prefix, k.prefix);
    }

    @Override
    public int hashCode() {
      return zone.hashCode() * 31 + Arrays.hashCode(prefix);
    }
  }

  private static final class Window {
    long second;
    int responses;
    long limited;
  }

  private final Clock clock;
  private final int maxEntries;
  private final Map<Key, Window> windows;

  public ResponseRateLimiter(Clock clock) {
    this(clock, MAX_ENTRIES);
  }

  ResponseRateLimiter(Clock clock, int maxEntries) {
    this.clock = clock;
    this.maxEntries = maxEntries;
    this.windows =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Window> eldest) {
            return size() > ResponseRateLimiter.this.maxEntries;
          }
        };
  }

  /** The fate of one more UDP response for {@code zone} to {@code client} under {@code limit}. */
  public Action check(String zone, InetAddress client, DnsZone.RateLimit limit) {
    if (limit == null || zone == null) {
      return Action.SEND;
    }
    long second = clock.millis() / 1000;
    Window w = windows.computeIfAbsent(new Key(zone, prefix(client)), k -> new Window());
    if (w.second != second) {
      w.second = second;
      w.responses = 0;
    }
    if (w.responses < limit.responsesPerSecond()) {
      w.responses++;
      return Action.SEND;
    }
    w.limited++;
    return limit.slip() > 0 && w.limited % limit.slip() == 0 ? Action.SLIP : Action.DROP;
  }

  /** Networks tracked now (for tests). */
  int size() {
    return windows.size();
  }

  /** The client's /24 (IPv4) or /56 (IPv6). */
  static byte[] prefix(InetAddress client) {
    byte[] a = client.getAddress();
    return Arrays.copyOf(a, a.length == 4 ? 3 : 7);
  }
}
