package io.quorate.alert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Dispatcher}'s senders by channel id, replaceable by a live reload (ADR 0017). A sender
 * is acquired for one attempt and released when its result is in; a sender the reload replaced
 * (channel removed or changed) is closed once its last attempt is released, so an attempt in flight
 * finishes with the sender it started with. Not thread-safe: the dispatcher's context owns it.
 */
final class SenderTable {
  private static final Logger LOG = LoggerFactory.getLogger(SenderTable.class);

  /**
   * What one {@link #replace} changed.
   *
   * @param removed channel ids no longer configured
   * @param renewed channel ids with a new sender (added, or changed)
   */
  record Change(List<String> removed, List<String> renewed) {}

  private Map<String, ChannelSender> current = new LinkedHashMap<>();
  private final Map<ChannelSender, Integer> busy = new IdentityHashMap<>();
  private final Set<ChannelSender> retired = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<String> removedByReload = new HashSet<>();

  SenderTable(List<ChannelSender> senders) {
    senders.forEach(s -> current.put(s.channelId(), s));
  }

  /** The channel's sender for one attempt (release it afterwards), or {@code null} when none. */
  ChannelSender acquire(String channelId) {
    ChannelSender s = current.get(channelId);
    if (s != null) {
      busy.merge(s, 1, Integer::sum);
    }
    return s;
  }

  /** The attempt with {@code s} is over; a retired sender is closed after its last attempt. */
  void release(ChannelSender s) {
    Integer n = busy.merge(s, -1, Integer::sum);
    if (n != null && n <= 0) {
      busy.remove(s);
      if (retired.remove(s)) {
        close(s);
      }
    }
  }

  /** True when a reload removed {@code channelId} (and none added it back). */
  boolean removedByReload(String channelId) {
    return removedByReload.contains(channelId);
  }

  /**
   * Installs {@code next}: a sender instance already installed is kept (its channel is unchanged);
   * every other old instance is retired (closed now when idle, else after its last attempt).
   */
  Change replace(List<ChannelSender> next) {
    Map<String, ChannelSender> fresh = new LinkedHashMap<>();
    next.forEach(s -> fresh.put(s.channelId(), s));
    Set<ChannelSender> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    kept.addAll(fresh.values());
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, ChannelSender> e : current.entrySet()) {
      if (!fresh.containsKey(e.getKey())) {
        removed.add(e.getKey());
      }
      if (!kept.contains(e.getValue())) {
        retire(e.getValue());
      }
    }
    List<String> renewed = new ArrayList<>();
    fresh.forEach(
        (id, s) -> {
          if (current.get(id) != s) {
            renewed.add(id);
          }
        });
    removedByReload.addAll(removed);
    removedByReload.removeAll(fresh.keySet());
    current = fresh;
    return new Change(List.copyOf(removed), List.copyOf(renewed));
  }

  private void retire(ChannelSender s) {
    if (busy.containsKey(s)) {
      retired.add(s);
    } else {
      close(s);
    }
  }

  private static void close(ChannelSender s) {
    LOG.info("alert sender-closed channel={}", s.channelId());
    Channels.close(List.of(s));
  }
}
