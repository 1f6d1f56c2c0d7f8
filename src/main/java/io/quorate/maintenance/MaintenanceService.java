package io.quorate.maintenance;

import io.quorate.config.MaintenanceWindow;
import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.mesh.MeshMessage;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.store.Database;
import io.quorate.store.VerdictHistory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance at run time (ADR 0014): a 1 s tick notices occurrences starting and ending and tells
 * the history (one MAINTENANCE row at the start, the engine's state at the end), the event stream,
 * the alerts (one normal alert at the end for a target still DOWN or DEGRADED) and failover
 * (re-plan after a FREEZE window). Windows created through the API live in {@link SharedWindows}:
 * stored, shared with every region, re-announced every minute. The quorum engine never sees any of
 * this.
 */
public final class MaintenanceService {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceService.class);

  /** How often occurrence edges are looked for. */
  public static final long TICK_MS = 1_000;

  /** How often every shared window is announced again (a region that was down catches up). */
  public static final long ANNOUNCE_MS = 60_000;

  /**
   * What the service tells the rest of the agent.
   *
   * @param verdicts the engine's verdict on a target ({@code null} when none yet)
   * @param publish shows a verdict on the event stream, inside an occurrence or not ({@code null})
   * @param alert raises the alert of a verdict change as if the engine had made it
   * @param replan re-plans every pool from the current verdicts (a FREEZE window ended)
   * @param share sends windows to every peer
   */
  public record Hooks(
      Function<String, Verdict> verdicts,
      BiConsumer<Verdict, Occurrence> publish,
      Consumer<VerdictChange> alert,
      Runnable replan,
      Consumer<Collection<MeshMessage.Window>> share) {}

  private final Vertx vertx;
  private final Clock clock;
  private final Hooks hooks;
  private final MaintenanceCalendar calendar;
  private final Overlay overlay;
  private final SharedWindows shared;
  private volatile VerdictHistory history;
  private final java.util.concurrent.atomic.AtomicBoolean freezeEnded =
      new java.util.concurrent.atomic.AtomicBoolean();
  private io.quorate.lifecycle.Periodic ticks;
  private io.quorate.lifecycle.Periodic announces;
  private boolean stopped;

  public MaintenanceService(Vertx vertx, QuorateConfig config, Clock clock, Hooks hooks) {
    this.vertx = vertx;
    this.clock = clock;
    this.hooks = hooks;
    this.calendar = new MaintenanceCalendar(config);
    this.overlay =
        new Overlay(
            calendar,
            config.targets().stream().map(Target::id).collect(Collectors.toSet()),
            new Edges());
    this.shared = new SharedWindows(calendar, clock, this::changed);
  }

  /** Loads the stored windows, notices what is active now, and starts the tick and announces. */
  public Future<Void> start(Database db, VerdictHistory verdictHistory) {
    this.history = verdictHistory;
    return shared
        .open(new WindowStore(db))
        .map(
            n -> {
              LOG.info("maintenance started windows={} shared={}", calendar.windows().size(), n);
              tick();
              hooks.share().accept(shared.all());
              synchronized (this) {
                if (!stopped) {
                  io.vertx.core.Context ctx = vertx.getOrCreateContext();
                  ticks = new io.quorate.lifecycle.Periodic(vertx, ctx, TICK_MS, this::tick);
                  announces =
                      new io.quorate.lifecycle.Periodic(vertx, ctx, ANNOUNCE_MS, this::announce);
                  ticks.start(null);
                  announces.start(null);
                }
              }
              return null;
            });
  }

  /** Cancels the tick and the announces; idempotent, also before (or during) a start. */
  public synchronized Future<Void> stop() {
    stopped = true;
    if (ticks == null) {
      return Future.succeededFuture();
    }
    return Future.all(ticks.stop(), announces.stop()).mapEmpty();
  }

  /**
   * A live reload (ADR 0017): the configured windows replaced by {@code next}'s and every group
   * re-expanded (API windows are kept), removed targets forgotten, then a tick: a window added
   * while it covers now starts (MAINTENANCE row), a window removed while active ends as if its end
   * had come (history row; one alert when the target is still DOWN or DEGRADED; a FREEZE window's
   * end re-plans failover).
   */
  public void reconfigure(QuorateConfig next) {
    calendar.reconfigure(next);
    overlay.targets(next.targets().stream().map(Target::id).collect(Collectors.toSet()));
    tick();
  }

  public MaintenanceCalendar calendar() {
    return calendar;
  }

  /** The API's windows (tombstones included). */
  public SharedWindows shared() {
    return shared;
  }

  /**
   * A verdict changed: notices any edge of its target first; the occurrence it is in afterwards, if
   * any (then the change is neither recorded in the history nor alerted).
   */
  public Optional<Occurrence> onVerdict(VerdictChange c) {
    return overlay.sync(c.after().targetId(), clock.instant());
  }

  /** The occurrence {@code target} is in, as last noticed. */
  public Optional<Occurrence> covering(String target) {
    return overlay.covering(target);
  }

  /** True while {@code target} is in maintenance (alerts about its verdicts are suppressed). */
  public boolean covered(String target) {
    return overlay.covering(target).isPresent();
  }

  /** True when failover must not change DNS for a pool with member {@code target} at {@code at}. */
  public boolean frozen(String target, Instant at) {
    return calendar.freezes(target, at);
  }

  /** A window a peer shared. */
  public void receive(String peer, MeshMessage.Window w) {
    shared.merge(peer, w);
  }

  /** Notices every edge now; then re-plans failover if a FREEZE occurrence ended. */
  public void tick() {
    try {
      overlay.tick(clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("maintenance tick-failed error=\"{}\"", e.toString());
      return;
    }
    if (freezeEnded.getAndSet(false)) {
      hooks.replan().run();
    }
  }

  private void announce() {
    shared.purge(clock.instant());
    hooks.share().accept(shared.all());
  }

  /** The API's windows changed (here or from a peer): share what changed and act on it now. */
  private void changed(List<MeshMessage.Window> changed) {
    hooks.share().accept(changed);
    tick();
  }

  /** What happens at each edge. */
  private final class Edges implements Overlay.Sink {
    @Override
    public void started(String target, Occurrence o, Instant at) {
      Verdict engine = engine(target);
      LOG.info(
          "maintenance started target={} window={} underlying={}",
          target,
          o.window().id(),
          engine.state());
      record(target, engine.state(), Status.MAINTENANCE, at, "maintenance " + o.window().id());
      hooks.publish().accept(engine, o);
    }

    @Override
    public void ended(String target, Occurrence o, Instant at) {
      Verdict engine = engine(target);
      LOG.info(
          "maintenance ended target={} window={} state={}",
          target,
          o.window().id(),
          engine.state());
      record(target, Status.MAINTENANCE, engine.state(), at, "end of " + o.window().id());
      hooks.publish().accept(engine, null);
      if (engine.state() == Status.DOWN || engine.state() == Status.DEGRADED) {
        Verdict before =
            new Verdict(
                target,
                Status.MAINTENANCE,
                o.start(),
                engine.transition(),
                false,
                engine.quorum(),
                List.of());
        hooks.alert().accept(new VerdictChange(before, engine));
      }
      if (o.window().failover() == MaintenanceWindow.FailoverMode.FREEZE) {
        freezeEnded.set(true);
      }
    }

    private Verdict engine(String target) {
      Verdict v = hooks.verdicts().apply(target);
      return v != null ? v : new Verdict(target, Status.UNKNOWN, null, 0, false, 0, List.of());
    }

    private void record(String target, Status from, Status to, Instant at, String note) {
      VerdictHistory h = history;
      if (h != null) {
        h.recordState(target, from, to, at, note)
            .onFailure(
                e ->
                    LOG.warn(
                        "maintenance history-failed target={} error=\"{}\"",
                        target,
                        e.getMessage()));
      }
    }
  }
}
