package io.quorate.maintenance;

import io.quorate.config.MaintenanceWindow;
import io.quorate.mesh.MeshMessage.Window;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance windows created through the API, identical in every region (ADR 0014): the newest
 * copy per id wins (last writer by {@code updatedAt}; a tombstone wins a tie), every accepted
 * change is stored, given to the {@link MaintenanceCalendar} and reported to {@code changed} (which
 * shares it). Windows that ended more than {@link #KEEP_ENDED} ago are purged, and a copy that old
 * is refused, so a purged tombstone cannot be undone by a stale peer. Thread-safe.
 */
public final class SharedWindows {
  private static final Logger LOG = LoggerFactory.getLogger(SharedWindows.class);

  /** Live windows at most (creating one more is refused). */
  public static final int MAX_LIVE = 1_000;

  /** Windows (and tombstones) are kept this long after their end. */
  public static final Duration KEEP_ENDED = Duration.ofDays(7);

  /** Why a create or delete was refused. */
  public enum Kind {
    CONFIGURED,
    EXISTS,
    NOT_FOUND,
    FULL
  }

  /** A refused create or delete. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Kind kind;

    Refused(Kind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  private final MaintenanceCalendar calendar;
  private final Clock clock;
  private final Consumer<List<Window>> changed;
  private final Map<String, Window> byId = new LinkedHashMap<>();
  private WindowStore store;

  SharedWindows(MaintenanceCalendar calendar, Clock clock, Consumer<List<Window>> changed) {
    this.calendar = calendar;
    this.clock = clock;
    this.changed = changed;
  }

  /** Loads the stored windows; succeeds with how many are live. */
  Future<Integer> open(WindowStore windows) {
    return windows
        .load()
        .map(
            rows -> {
              synchronized (this) {
                store = windows;
                Instant now = clock.instant();
                rows.stream().filter(w -> acceptable(w, now)).forEach(w -> byId.put(w.id(), w));
                refreshCalendar();
                return (int) byId.values().stream().filter(w -> !w.deleted()).count();
              }
            });
  }

  /** Every window, tombstones included, in creation order. */
  public synchronized List<Window> all() {
    return List.copyOf(byId.values());
  }

  /** The live window {@code id}. */
  public synchronized Optional<Window> live(String id) {
    Window w = byId.get(id);
    return w == null || w.deleted() ? Optional.empty() : Optional.of(w);
  }

  /** Creates {@code w} (its {@code updatedAt} is set here); fails with {@link Refused}. */
  public Future<Window> create(Window w) {
    Window stored;
    synchronized (this) {
      if (calendar.configured(w.id())) {
        throw new Refused(Kind.CONFIGURED, "window '" + w.id() + "' is defined in the config file");
      }
      Window old = byId.get(w.id());
      if (old != null && !old.deleted()) {
        throw new Refused(Kind.EXISTS, "a window with id '" + w.id() + "' exists");
      }
      if (byId.values().stream().filter(x -> !x.deleted()).count() >= MAX_LIVE) {
        throw new Refused(Kind.FULL, "at most " + MAX_LIVE + " windows through the API");
      }
      stored =
          new Window(
              w.id(),
              w.title(),
              w.description(),
              w.targets(),
              w.groups(),
              w.start(),
              w.end(),
              w.every(),
              w.failover(),
              w.announce(),
              after(old),
              false);
      put(stored);
    }
    return store.save(stored).map(stored).onSuccess(x -> changed.accept(List.of(x)));
  }

  /** Deletes live window {@code id} (a tombstone); fails with {@link Refused}. */
  public Future<Window> delete(String id) {
    Window tomb;
    synchronized (this) {
      if (calendar.configured(id)) {
        throw new Refused(Kind.CONFIGURED, "window '" + id + "' is defined in the config file");
      }
      Window old = byId.get(id);
      if (old == null || old.deleted()) {
        throw new Refused(Kind.NOT_FOUND, "no window with id '" + id + "'");
      }
      tomb = old.delete(after(old));
      put(tomb);
    }
    return store.save(tomb).map(tomb).onSuccess(x -> changed.accept(List.of(x)));
  }

  /** A peer's copy: kept when newer than ours (and acceptable), then stored and shared on. */
  void merge(String peer, Window w) {
    synchronized (this) {
      Window old = byId.get(w.id());
      if ((old != null && !old.olderThan(w)) || store == null) {
        return;
      }
      if (calendar.configured(w.id()) || !acceptable(w, clock.instant())) {
        LOG.warn("maintenance refused-window peer={} id={}", peer, w.id());
        return;
      }
      put(w);
      store.save(w).onFailure(e -> LOG.warn("maintenance store-failed id={} error={}", w.id(), e));
    }
    LOG.info("maintenance window peer={} id={} deleted={}", peer, w.id(), w.deleted());
    changed.accept(List.of(w));
  }

  /** Forgets windows that ended more than {@link #KEEP_ENDED} before {@code now}. */
  void purge(Instant now) {
    List<String> old = new ArrayList<>();
    synchronized (this) {
      byId.values().stream().filter(w -> !acceptable(w, now)).forEach(w -> old.add(w.id()));
      old.forEach(byId::remove);
      if (!old.isEmpty()) {
        refreshCalendar();
        store.purge(old, now);
      }
    }
  }

  /** The calendar form of a shared window. */
  static MaintenanceWindow toWindow(Window w) {
    MaintenanceWindow.Recurrence rule = w.every() == null ? null : Recurrences.parse(w.every());
    return new MaintenanceWindow(
        w.id(),
        w.title(),
        w.description().isEmpty() ? null : w.description(),
        w.targets(),
        w.groups(),
        rule == null ? w.start() : null,
        rule == null ? w.end() : null,
        rule,
        MaintenanceWindow.FailoverMode.valueOf(w.failover()),
        w.announce());
  }

  /**
   * A one-off window not ended long ago, or a recurring one with a valid rule (kept until deleted;
   * its tombstone is kept {@link #KEEP_ENDED} after the deletion).
   */
  private static boolean acceptable(Window w, Instant now) {
    if (w.every() == null) {
      return w.end() != null && w.end().isAfter(now.minus(KEEP_ENDED));
    }
    try {
      Recurrences.parse(w.every());
    } catch (InvalidRecurrenceException e) {
      return false;
    }
    return !w.deleted() || w.updatedAt().isAfter(now.minus(KEEP_ENDED));
  }

  /** Now, or just after {@code old}'s stamp when our clock is behind it (last writer wins). */
  private Instant after(Window old) {
    Instant now = clock.instant();
    return old == null || now.isAfter(old.updatedAt()) ? now : old.updatedAt().plusMillis(1);
  }

  private void put(Window w) {
    byId.remove(w.id());
    byId.put(w.id(), w);
    refreshCalendar();
  }

  private void refreshCalendar() {
    calendar.replaceDynamic(
        byId.values().stream().filter(w -> !w.deleted()).map(SharedWindows::toWindow).toList());
  }
}
