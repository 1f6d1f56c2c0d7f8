package io.quorate.alert;

import io.quorate.config.Alerts;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where each event goes ({@code alerts.rules}), repeats problems that last ({@code
 * remindEveryMs}), sends recoveries only to rules that want them, and folds storms: beyond {@code
 * storm.maxEvents} per channel within {@code storm.windowMs}, events go to that channel as one
 * digest at the end of the window. Every event reaches the {@link AlertSink} (history), with the
 * channels it must be delivered to. Not thread-safe: one owner context calls everything.
 */
public final class AlertRouter {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRouter.class);

  /** Events listed in one digest at most (the rest are counted). */
  static final int DIGEST_LISTED = 50;

  /** Open problems tracked for reminders at most (the oldest are forgotten first). */
  static final int MAX_OPEN = 10_000;

  private Alerts config;
  private final AlertSink sink;
  private final Clock clock;
  private final String region;
  private final Map<String, Open> open = new LinkedHashMap<>();
  private final Map<String, Window> windows = new HashMap<>();

  /** A problem that has not been resolved, and when it was last reminded of. */
  private record Open(AlertEvent event, List<String> channels, long remindEveryMs, long lastN) {}

  /** One channel's storm window. */
  private static final class Window {
    Instant start;
    int count;
    int foldedCount;
    final List<AlertEvent> folded = new ArrayList<>(); // the first DIGEST_LISTED only
  }

  public AlertRouter(Alerts config, AlertSink sink, Clock clock, String region) {
    this.config = config;
    this.sink = sink;
    this.clock = clock;
    this.region = region;
  }

  /** The channels and reminder period the rules give an event. */
  private record Route(Set<String> channels, long remindEveryMs) {}

  /**
   * A live reload (ADR 0017): {@code next}'s rules and storm limits from the next event on. Each
   * open problem is routed again under the new rules: it keeps its reminder count when its channels
   * and period are unchanged, restarts counting from now when they changed (no burst of missed
   * reminders), and is forgotten when no rule reminds of it any more. Storm windows of channels no
   * longer configured are dropped with what they folded; the others continue.
   */
  public void reconfigure(Alerts next) {
    this.config = next;
    long now = clock.millis();
    for (Map.Entry<String, Open> entry : new ArrayList<>(open.entrySet())) {
      Open o = entry.getValue();
      Route r = route(o.event());
      if (r.remindEveryMs() == 0 || r.channels().isEmpty()) {
        open.remove(entry.getKey());
      } else if (!r.channels().equals(new LinkedHashSet<>(o.channels()))
          || r.remindEveryMs() != o.remindEveryMs()) {
        long n = (now - o.event().occurredAt().toEpochMilli()) / r.remindEveryMs();
        entry.setValue(new Open(o.event(), List.copyOf(r.channels()), r.remindEveryMs(), n));
      }
    }
    Set<String> configured = new java.util.HashSet<>();
    next.channels().forEach(c -> configured.add(c.id()));
    windows.keySet().retainAll(configured);
  }

  private Route route(AlertEvent e) {
    Set<String> channels = new LinkedHashSet<>();
    long remind = 0;
    for (Alerts.Rule r : config.rules()) {
      if (matches(r, e) && (!e.resolution() || r.recovery())) {
        channels.addAll(r.channels());
        if (r.remindEveryMs() > 0) {
          remind = remind == 0 ? r.remindEveryMs() : Math.min(remind, r.remindEveryMs());
        }
      }
    }
    return new Route(channels, remind);
  }

  /** Routes one event. */
  public void raise(AlertEvent e) {
    Route route = route(e);
    Set<String> channels = route.channels();
    long remind = route.remindEveryMs();
    if (e.resolution()) {
      open.remove(e.dedupKey());
    } else if (remind > 0 && !channels.isEmpty()) {
      open.remove(e.dedupKey());
      open.put(e.dedupKey(), new Open(e, List.copyOf(channels), remind, 0));
      while (open.size() > MAX_OPEN) {
        open.remove(open.keySet().iterator().next());
      }
    }
    deliver(e, channels);
  }

  /** Sends due reminders and flushes ended storm windows; call every few seconds. */
  public void tick() {
    Instant now = clock.instant();
    for (Map.Entry<String, Open> entry : new ArrayList<>(open.entrySet())) {
      Open o = entry.getValue();
      long n = (now.toEpochMilli() - o.event().occurredAt().toEpochMilli()) / o.remindEveryMs();
      if (n > o.lastN()) {
        entry.setValue(new Open(o.event(), o.channels(), o.remindEveryMs(), n));
        deliver(reminder(o.event(), n), new LinkedHashSet<>(o.channels()));
      }
    }
    for (Map.Entry<String, Window> w : windows.entrySet()) {
      flushIfEnded(w.getKey(), w.getValue(), now);
    }
  }

  static boolean matches(Alerts.Rule r, AlertEvent e) {
    if (e.severity().ordinal() > r.minSeverity().ordinal()) {
      return false; // CRITICAL < WARNING < INFO in declaration order
    }
    if (!r.kinds().isEmpty()
        && r.kinds().stream()
            .noneMatch(
                k ->
                    k.endsWith(".*")
                        ? e.kind().startsWith(k.substring(0, k.length() - 1))
                        : k.equals(e.kind()))) {
      return false;
    }
    if (!r.targets().isEmpty() && !r.targets().contains(e.subject())) {
      return false;
    }
    return r.groups().isEmpty() || (e.group() != null && r.groups().contains(e.group()));
  }

  private void deliver(AlertEvent e, Set<String> channels) {
    Instant now = clock.instant();
    List<String> send = new ArrayList<>();
    for (String c : channels) {
      Window w = windows.computeIfAbsent(c, k -> new Window());
      flushIfEnded(c, w, now);
      if (w.start == null) {
        w.start = now;
      }
      w.count++;
      if (w.count > config.storm().maxEvents()) {
        w.foldedCount++;
        if (w.folded.size() < DIGEST_LISTED) {
          w.folded.add(e);
        }
      } else {
        send.add(c);
      }
    }
    sink.raise(e, send)
        .onFailure(
            err -> LOG.error("alert.raise-failed id={} error=\"{}\"", e.id(), err.getMessage()));
  }

  private void flushIfEnded(String channel, Window w, Instant now) {
    if (w.start == null || now.isBefore(w.start.plusMillis(config.storm().windowMs()))) {
      return;
    }
    if (w.foldedCount > 0) {
      AlertEvent digest = digest(channel, w.start, w.folded, w.foldedCount);
      sink.raise(digest, List.of(channel))
          .onFailure(
              err ->
                  LOG.error(
                      "alert.raise-failed id={} error=\"{}\"", digest.id(), err.getMessage()));
      LOG.warn("alert.storm channel={} folded={}", channel, w.foldedCount);
    }
    w.start = null;
    w.count = 0;
    w.foldedCount = 0;
    w.folded.clear();
  }

  private AlertEvent digest(String channel, Instant start, List<AlertEvent> folded, int count) {
    Map<String, String> details = new LinkedHashMap<>();
    for (AlertEvent e : folded) {
      details.put(e.id(), e.summary());
    }
    if (count > folded.size()) {
      details.put("more", String.valueOf(count - folded.size()));
    }
    AlertEvent.Severity worst =
        folded.stream()
            .map(AlertEvent::severity)
            .min(Enum::compareTo)
            .orElse(AlertEvent.Severity.INFO);
    return new AlertEvent(
        EventIds.of("digest", channel, EventIds.window(start)),
        "digest",
        worst,
        channel,
        null,
        "["
            + worst.name()
            + "] "
            + count
            + " more events within "
            + config.storm().windowMs() / 1000
            + " s (storm limit)",
        details,
        clock.instant(),
        region,
        "digest:" + channel,
        false);
  }

  private static AlertEvent reminder(AlertEvent e, long n) {
    return new AlertEvent(
        EventIds.reminder(e.id(), n),
        e.kind(),
        e.severity(),
        e.subject(),
        e.group(),
        "[REMINDER " + n + "] " + e.summary(),
        e.details(),
        e.occurredAt(),
        e.region(),
        e.dedupKey(),
        false);
  }
}
