package io.quorate.api;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.failover.PoolView;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.maintenance.Occurrence;
import io.quorate.quorum.Verdict;
import io.quorate.store.Timeline;
import io.quorate.store.VerdictHistory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /status} (read scope): the status page's document, built server-side from the live
 * verdicts, drained pool members and the maintenance calendar, with 90-day uptime bars from the
 * verdict history. The bars are read on the store's thread, split into days on a worker and cached
 * for {@link #BARS_TTL} (or {@link #BARS_MIN_AGE} once a verdict changed); an expired cache is
 * served while one refresh runs, so neither page loads nor anonymous readers of the public {@code
 * /status.json} ever cause more than one 90-day read per {@link #BARS_TTL}.
 */
public final class StatusResource {
  private static final Logger LOG = LoggerFactory.getLogger(StatusResource.class);

  /** How long computed uptime bars are served before they are recomputed. */
  public static final Duration BARS_TTL = Duration.ofMinutes(5);

  /**
   * After a verdict changed, bars at least this old are recomputed (so today's bar shows an outage
   * within seconds, not minutes, while a flapping target still costs at most one read per period).
   */
  public static final Duration BARS_MIN_AGE = Duration.ofSeconds(15);

  /**
   * Where the document's data comes from.
   *
   * @param config the shared config
   * @param verdicts the quorum's current verdicts
   * @param pools every pool's current view (for drained members)
   * @param calendar the maintenance windows
   * @param liveRegions regions this agent hears now
   * @param quorate whether this agent's verdicts are quorate
   * @param history the verdict history, or {@code null} (no bars)
   * @param clock the wall clock
   */
  public record Sources(
      QuorateConfig config,
      Supplier<List<Verdict>> verdicts,
      Supplier<List<PoolView>> pools,
      MaintenanceCalendar calendar,
      Supplier<Set<String>> liveRegions,
      BooleanSupplier quorate,
      VerdictHistory history,
      Clock clock) {}

  private record Cached(
      LocalDate first, Instant at, long version, Map<String, StatusBars.Bars> bars) {}

  private final Vertx vertx;
  private final Sources src;
  private volatile Cached cached;
  private Future<Cached> refreshing;

  public StatusResource(Vertx vertx, Sources sources) {
    this.vertx = vertx;
    this.src = sources;
  }

  /** Whether the config publishes the page without a token. */
  public boolean publicMode() {
    return src.config().statusPage().publicMode();
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::full);
    return r;
  }

  private void full(RoutingContext ctx) {
    document(false).onSuccess(j -> Responses.json(ctx, j)).onFailure(ctx::fail);
  }

  /** The document; {@code publicMode} builds the redacted one. */
  public Future<JsonObject> document(boolean publicMode) {
    List<Verdict> now = src.verdicts().get();
    // every transition bumps a verdict's counter: the sum changes when any verdict changed
    long version = now.stream().mapToLong(Verdict::transition).sum();
    return bars(version).map(b -> StatusJson.board(StatusBoard.build(inputs(now, b), publicMode)));
  }

  private StatusBoard.Inputs inputs(List<Verdict> list, Map<String, StatusBars.Bars> bars) {
    Map<String, Verdict> verdicts = new HashMap<>();
    list.forEach(v -> verdicts.put(v.targetId(), v));
    Set<String> drained = new HashSet<>();
    for (PoolView v : src.pools().get()) {
      for (io.quorate.config.Pool.Member m : v.pool().members()) {
        if (m.target() != null && (m.drained() || v.drained().contains(m.id()))) {
          drained.add(m.target());
        }
      }
    }
    return new StatusBoard.Inputs(
        src.config(),
        verdicts,
        drained,
        src.calendar(),
        bars,
        src.liveRegions().get(),
        src.quorate().getAsBoolean(),
        src.clock().instant());
  }

  /** The cached bars; starts at most one refresh when they are stale; never fails. */
  Future<Map<String, StatusBars.Bars>> bars(long version) {
    Instant now = src.clock().instant();
    Cached c = cached;
    boolean fresh =
        c != null
            && c.first().equals(StatusBars.firstDay(now))
            && now.isBefore(c.at().plus(c.version() == version ? BARS_TTL : BARS_MIN_AGE));
    if (fresh || src.history() == null) {
      return Future.succeededFuture(c == null ? Map.of() : c.bars());
    }
    Future<Cached> next = refresh(now, version);
    return c != null ? Future.succeededFuture(c.bars()) : next.map(Cached::bars);
  }

  private synchronized Future<Cached> refresh(Instant now, long version) {
    if (refreshing == null) {
      refreshing =
          compute(now, version)
              .onSuccess(c -> cached = c)
              .recover(
                  e -> {
                    LOG.warn("status bars-failed error=\"{}\"", e.getMessage());
                    Cached old = cached;
                    return Future.succeededFuture(
                        old != null
                            ? old
                            : new Cached(StatusBars.firstDay(now), now, version, Map.of()));
                  })
              .eventually(this::done);
    }
    return refreshing;
  }

  private synchronized Future<Void> done() {
    refreshing = null;
    return Future.succeededFuture();
  }

  /** Every shown target's 90 days from the store, then the day split on a worker. */
  private Future<Cached> compute(Instant now, long version) {
    LocalDate first = StatusBars.firstDay(now);
    Instant from = StatusBars.start(first);
    Instant to = StatusBars.start(first.plusDays(StatusBars.DAYS));
    List<Target> shown =
        src.config().targets().stream()
            .filter(t -> !src.config().statusPage().hidden().contains(t.id()))
            .limit(StatusBoard.MAX_MEMBERS)
            .toList();
    List<Future<Timeline>> reads = new ArrayList<>();
    shown.forEach(t -> reads.add(src.history().timeline(t.id(), from, to)));
    List<Occurrence> windows =
        StatusBoard.safely(() -> src.calendar().between(from, to), List.of());
    return Future.all(reads)
        .compose(
            all ->
                vertx.executeBlocking(
                    () -> new Cached(first, now, version, split(shown, all.list(), windows, now)),
                    false));
  }

  /** Bars per target id and per {@code group:<id>} (overlaid with maintenance). */
  Map<String, StatusBars.Bars> split(
      List<Target> shown, List<Timeline> timelines, List<Occurrence> windows, Instant now) {
    Map<String, StatusBars.Bars> out = new HashMap<>();
    Map<String, List<Timeline>> byGroup = new HashMap<>();
    Map<String, List<StatusBars.Bars>> barsByGroup = new HashMap<>();
    for (int i = 0; i < shown.size(); i++) {
      Target t = shown.get(i);
      List<StatusBars.Window> own = new ArrayList<>();
      windows.stream()
          .filter(o -> o.targets().contains(t.id()))
          .forEach(o -> own.add(new StatusBars.Window(o.start(), o.end())));
      Timeline overlaid = StatusBars.overlay(timelines.get(i), own);
      StatusBars.Bars b = StatusBars.bars(overlaid, now);
      out.put(t.id(), b);
      if (t.group() != null) {
        byGroup.computeIfAbsent(t.group(), g -> new ArrayList<>()).add(overlaid);
        barsByGroup.computeIfAbsent(t.group(), g -> new ArrayList<>()).add(b);
      }
    }
    byGroup.forEach(
        (g, members) ->
            out.put(
                StatusBoard.groupBars(g),
                StatusBars.group(Timeline.group(members), barsByGroup.get(g), now)));
    return out;
  }
}
