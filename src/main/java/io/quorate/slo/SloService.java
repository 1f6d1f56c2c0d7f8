package io.quorate.slo;

import io.quorate.alert.AlertEvent;
import io.quorate.config.Objectives;
import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.store.Slo;
import io.quorate.store.Timeline;
import io.quorate.store.VerdictHistory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every configured SLO every {@value #PERIOD_MS} ms from the verdict history (read on the
 * database thread; nothing blocks the event loop), keeps the latest {@link View}s for the API and
 * the metrics, and raises {@code slo.burn} events by the {@link FastBurn} rule. One context owns
 * the alert state; the views are an immutable snapshot any thread may read.
 */
public final class SloService {
  private static final Logger LOG = LoggerFactory.getLogger(SloService.class);

  /** How often every SLO is evaluated. */
  public static final long PERIOD_MS = 30_000;

  /**
   * One SLO's latest evaluation.
   *
   * @param slo the definition
   * @param group the SLO's group (its own or its target's), or {@code null}
   * @param status the latest state, or {@code null} before the first successful evaluation
   * @param level the burn alert level
   * @param error why the latest evaluation failed (the previous status is kept), or {@code null}
   */
  public record View(
      Objectives.Slo slo, String group, Slo.Status status, FastBurn.Level level, String error) {}

  private final Vertx vertx;
  private final Context ctx;
  private volatile QuorateConfig config;
  private final VerdictHistory history;
  private final Clock clock;
  private final Consumer<AlertEvent> alerts;
  private final Map<String, FastBurn.Tracker> trackers = new LinkedHashMap<>();
  private volatile Map<String, View> views;
  private final String region;
  private boolean running;

  /** Bumped by a reload: a round started before it is dropped and run again. */
  private int generation;

  private boolean rerun;
  private int runningGeneration;
  private volatile boolean started;
  private final io.quorate.lifecycle.Periodic evaluator;

  /**
   * @param alerts where {@code slo.burn} events go (the alert service), called on this service's
   *     context
   */
  public SloService(
      Vertx vertx,
      QuorateConfig config,
      VerdictHistory history,
      Clock clock,
      String region,
      Consumer<AlertEvent> alerts) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.config = config;
    this.history = history;
    this.clock = clock;
    this.alerts = alerts;
    this.region = region;
    Map<String, View> initial = new LinkedHashMap<>();
    for (Objectives.Slo s : config.objectives().slos()) {
      String group = groupOf(s);
      trackers.put(s.id(), new FastBurn.Tracker(s, group, region));
      initial.put(s.id(), new View(s, group, null, FastBurn.Level.NONE, null));
    }
    this.views = Collections.unmodifiableMap(initial);
    this.evaluator = new io.quorate.lifecycle.Periodic(vertx, ctx, PERIOD_MS, this::evaluateAll);
  }

  /**
   * A live reload (ADR 0017), on this service's context: the SLOs of {@code next} from now on. An
   * SLO whose definition and group are unchanged keeps its latest status and its burn alert state;
   * a changed or added one starts unevaluated with no alert raised; a removed one is forgotten.
   * Every SLO is evaluated again at once (a round still reading under the old SLOs is dropped and
   * run again). Completes when the new SLOs are in {@link #views()}, before that evaluation ends.
   */
  public Future<Void> reconfigure(QuorateConfig next) {
    Promise<Void> done = Promise.promise();
    ctx.runOnContext(
        v -> {
          config = next;
          Map<String, View> old = views;
          Map<String, FastBurn.Tracker> kept = new LinkedHashMap<>();
          Map<String, View> fresh = new LinkedHashMap<>();
          for (Objectives.Slo s : next.objectives().slos()) {
            String group = groupOf(s);
            View was = old.get(s.id());
            boolean same = was != null && was.slo().equals(s) && Objects.equals(was.group(), group);
            kept.put(s.id(), same ? trackers.get(s.id()) : new FastBurn.Tracker(s, group, region));
            fresh.put(s.id(), same ? was : new View(s, group, null, FastBurn.Level.NONE, null));
          }
          trackers.clear();
          trackers.putAll(kept);
          views = Collections.unmodifiableMap(fresh);
          generation++;
          done.complete();
          if (started && !evaluator.stopped()) {
            evaluator.start(null); // arms the timer when the agent started without SLOs
            evaluateAll();
          }
        });
    return done.future();
  }

  /** Evaluates now, then every {@link #PERIOD_MS}. */
  public void start() {
    started = true;
    if (!trackers.isEmpty()) {
      evaluator.start(this::evaluateAll);
    }
  }

  /** Cancels the evaluation timer; idempotent, also before a start. */
  public Future<Void> stop() {
    return evaluator.stop();
  }

  /** Every SLO's latest view, in config order. */
  public List<View> views() {
    return List.copyOf(views.values());
  }

  public Optional<View> view(String id) {
    return Optional.ofNullable(views.get(id));
  }

  /** Evaluates every SLO once on the service's context (tests drive time with this). */
  public Future<Void> refresh() {
    Promise<Void> done = Promise.promise();
    ctx.runOnContext(v -> evaluateAll().onComplete(done));
    return done.future();
  }

  private Future<Void> evaluateAll() {
    if (running) {
      rerun |= generation != runningGeneration;
      return Future.succeededFuture(); // the previous round is still reading
    }
    running = true;
    int gen = generation;
    runningGeneration = gen;
    Instant now = clock.instant();
    List<Objectives.Slo> slos = config.objectives().slos();
    List<Future<Slo.Status>> all = new ArrayList<>();
    for (Objectives.Slo s : slos) {
      all.add(evaluate(s, now));
    }
    return Future.join(all)
        .otherwiseEmpty()
        .map(
            x -> {
              if (gen != generation) {
                rerun = true; // the SLOs changed while reading: settle nothing, read again
                return (Void) null;
              }
              Map<String, View> next = new LinkedHashMap<>();
              for (int i = 0; i < slos.size(); i++) {
                next.put(slos.get(i).id(), settle(slos.get(i), all.get(i)));
              }
              views = Collections.unmodifiableMap(next);
              return (Void) null;
            })
        .eventually(
            () -> {
              running = false;
              if (rerun) {
                rerun = false;
                return evaluateAll();
              }
              return Future.succeededFuture();
            });
  }

  private View settle(Objectives.Slo s, Future<Slo.Status> f) {
    View old = views.get(s.id());
    if (f.failed()) {
      LOG.warn("slo evaluate-failed slo={} error=\"{}\"", s.id(), f.cause().getMessage());
      return new View(s, old.group(), old.status(), old.level(), f.cause().getMessage());
    }
    FastBurn.Tracker t = trackers.get(s.id());
    t.evaluate(f.result()).ifPresent(alerts);
    return new View(s, old.group(), f.result(), t.level(), null);
  }

  private Future<Slo.Status> evaluate(Objectives.Slo s, Instant now) {
    Instant from = now.minus(Slo.lookback(s.windowDays()));
    List<String> members =
        s.target() != null
            ? List.of(s.target())
            : config.targets().stream()
                .filter(t -> s.group().equals(t.group()))
                .map(Target::id)
                .toList();
    List<Future<Timeline>> reads = new ArrayList<>();
    members.forEach(id -> reads.add(history.timeline(id, from, now)));
    return Future.all(reads)
        .map(
            r -> {
              List<Timeline> list = r.list();
              Timeline t = s.target() != null ? list.get(0) : Timeline.group(list);
              return Slo.compute(t, s.objectivePercent(), s.windowDays(), now);
            });
  }

  private String groupOf(Objectives.Slo s) {
    return s.group() != null
        ? s.group()
        : config.target(s.target()).map(Target::group).orElse(null);
  }
}
