package io.quorate.alert;

import io.quorate.alert.SendPolicy.Decision;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox (ADR 0011): every {@code tickMs}, and at once when an event is raised through
 * {@link #raise}, takes due deliveries (a bounded batch, at most {@code perChannel} in flight per
 * channel), asks the {@link SendPolicy}, sends through the channel's {@link ChannelSender} and
 * records the result. RETRY is rescheduled by the {@link RetrySchedule}; GONE disables the channel
 * and reports a {@code channel.disabled} event to the owner; FAILED is dead at once. All state is
 * confined to this verticle's context; compaction runs every {@code compactEveryMs}. A live reload
 * replaces the senders and the retry period between two rounds ({@link #reconfigure}).
 */
public final class Dispatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * Tuning.
   *
   * @param tickMs how often due deliveries are looked for (default 250 ms)
   * @param batch most deliveries in flight at once (default 64)
   * @param perChannel most deliveries in flight per channel (default 4)
   * @param sendLimitMs a sender's future not completed by then counts as a retryable failure
   * @param compactEveryMs how often retention is applied (default 1 h)
   * @param retry the retry schedule (its {@code retryForMs} from {@code alerts.retryForMs})
   * @param clock time for schedules and records
   * @param random jitter source
   */
  public record Settings(
      long tickMs,
      int batch,
      int perChannel,
      long sendLimitMs,
      long compactEveryMs,
      RetrySchedule retry,
      Clock clock,
      RandomGenerator random) {
    public static Settings defaults() {
      return new Settings(
          250, 64, 4, 120_000, 3_600_000, RetrySchedule.DEFAULT, Clock.systemUTC(), new Random());
    }

    public Settings withRetry(RetrySchedule r) {
      return new Settings(tickMs, batch, perChannel, sendLimitMs, compactEveryMs, r, clock, random);
    }

    public Settings withClock(Clock c, RandomGenerator rnd) {
      return new Settings(tickMs, batch, perChannel, sendLimitMs, compactEveryMs, retry, c, rnd);
    }

    public Settings withTick(long tick, long compactEvery) {
      return new Settings(tick, batch, perChannel, sendLimitMs, compactEvery, retry, clock, random);
    }
  }

  private final Outbox outbox;
  private final SenderTable senders;
  private final SendPolicy policy;
  private final Consumer<AlertEvent> onChannelDisabled;
  private Settings settings;
  private final DeliveryLog log = new DeliveryLog();
  private AlertMetrics metrics = AlertMetrics.NONE;
  private final Map<Long, String> inFlight = new HashMap<>();

  /** Every delivery started and not yet recorded (stop waits for them). */
  private final java.util.Set<Future<Void>> running = new java.util.HashSet<>();

  private final Map<String, Integer> perChannel = new HashMap<>();
  private final List<io.quorate.lifecycle.Periodic> timers = new java.util.ArrayList<>();
  private boolean fetching;
  private boolean again;
  private boolean stopped;

  /**
   * @param senders one per configured channel
   * @param onChannelDisabled receives the {@code channel.disabled} event when a 410 disables a
   *     channel (the owner routes and raises it)
   */
  public Dispatcher(
      Outbox outbox,
      List<ChannelSender> senders,
      SendPolicy policy,
      Consumer<AlertEvent> onChannelDisabled,
      Settings settings) {
    this.outbox = outbox;
    this.senders = new SenderTable(senders);
    this.policy = policy;
    this.onChannelDisabled = onChannelDisabled;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    // a store that cannot be written fails the deployment
    return outbox
        .compact(settings.clock().instant())
        .onSuccess(
            n -> {
              log.compacted(n);
              timers.add(
                  new io.quorate.lifecycle.Periodic(vertx, context, settings.tickMs(), this::tick));
              timers.add(
                  new io.quorate.lifecycle.Periodic(
                      vertx, context, settings.compactEveryMs(), this::compact));
              timers.add(
                  new io.quorate.lifecycle.Periodic(
                      vertx, context, 1, BACKLOG_EVERY_MS, this::backlog));
              timers.forEach(t -> t.start(null));
              tick();
            });
  }

  /**
   * Starts no more deliveries and completes once those in flight are recorded (delivered, retry
   * scheduled or dead), so a graceful stop does not leave a finished delivery to be sent again.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    Future<?> timersStopped =
        Future.all(timers.stream().map(io.quorate.lifecycle.Periodic::stop).toList());
    List<Future<Void>> pending = List.copyOf(running);
    if (!pending.isEmpty()) {
      // recorded when they finish, so a restart does not send them again; the stop sequence
      // abandons this wait at its deadline (those stay pending: at least once, ADR 0016)
      LOG.info("alert dispatcher stopping in-flight={}", pending.size());
    }
    return Future.join(timersStopped, Future.join(pending));
  }

  /**
   * A live reload (ADR 0017), on this verticle's context between two rounds: {@code next} becomes
   * the sender of each configured channel (an instance already installed means the channel is
   * unchanged) and {@code retry} the retry schedule. A changed channel's pending deliveries go
   * through its new sender from the next attempt on; an attempt in flight finishes with the sender
   * it started with, which is closed afterwards. A removed channel's pending deliveries are
   * dead-lettered ({@link Outbox#REMOVED_BY_RELOAD}, replayable), except those in flight: their
   * result is recorded, and one still pending afterwards is dead-lettered at its next attempt.
   * Succeeds with the number of deliveries dead-lettered.
   */
  public Future<Integer> reconfigure(List<ChannelSender> next, RetrySchedule retry) {
    Promise<Integer> done = Promise.promise();
    Runnable apply =
        () -> {
          settings = settings.withRetry(retry);
          SenderTable.Change c = senders.replace(next);
          LOG.info("alert channels-reloaded removed={} renewed={}", c.removed(), c.renewed());
          outbox.channelsReloaded(c.removed(), c.renewed(), inFlight.keySet()).onComplete(done);
        };
    if (context == null) {
      apply.run(); // not deployed: nothing runs concurrently
    } else {
      context.runOnContext(v -> apply.run());
    }
    return done.future();
  }

  /** How often the pending backlog gauge is read from the store. */
  static final long BACKLOG_EVERY_MS = 15_000;

  /** Counts events and attempts into {@code m} from now on; call before deployment. */
  public Dispatcher metrics(AlertMetrics m) {
    this.metrics = m;
    return this;
  }

  /**
   * Stores the event (see {@link Outbox#raise}) and, when new, looks for due deliveries at once.
   */
  public Future<Boolean> raise(AlertEvent event, List<String> channelIds) {
    return outbox
        .raise(event, channelIds)
        .onSuccess(
            added -> {
              if (added) {
                metrics.raised(event.kind());
              }
              wake(added);
            });
  }

  private void backlog() {
    outbox
        .pendingEvents()
        .onSuccess(metrics::pending)
        .onFailure(err -> LOG.warn("alert backlog-read-failed error={}", err.toString()));
  }

  private void wake(boolean added) {
    if (added && context != null) {
      context.runOnContext(v -> tick());
    }
  }

  /**
   * One round on this verticle's context: starts the due deliveries there is room for and succeeds,
   * with their number, when every one of them is recorded (tests drive rounds with this).
   */
  public Future<Integer> runOnce() {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(
        v ->
            fetchAndStart()
                .compose(started -> Future.join(started).map(started.size()))
                .onComplete(p));
    return p.future();
  }

  private void tick() {
    if (stopped) {
      return;
    }
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    fetchAndStart()
        .onComplete(
            ar -> {
              fetching = false;
              if (ar.failed()) {
                LOG.warn("alert dispatch-failed error={}", ar.cause().toString());
              }
              if (again) {
                again = false;
                tick();
              }
            });
  }

  /** Reads due deliveries and starts those there is room for; succeeds with their futures. */
  private Future<List<Future<Void>>> fetchAndStart() {
    int room = settings.batch() - inFlight.size();
    if (room <= 0) {
      return Future.succeededFuture(List.of());
    }
    return outbox
        .due(settings.clock().instant(), room + inFlight.size(), 2 * settings.perChannel())
        .map(due -> startAll(due, room));
  }

  private List<Future<Void>> startAll(List<Outbox.Due> due, int room) {
    List<Future<Void>> started = new ArrayList<>();
    for (Outbox.Due d : due) {
      if (started.size() >= room) {
        break;
      }
      int busy = perChannel.getOrDefault(d.channelId(), 0);
      if (inFlight.containsKey(d.deliveryId()) || busy >= settings.perChannel()) {
        continue;
      }
      inFlight.put(d.deliveryId(), d.channelId());
      perChannel.put(d.channelId(), busy + 1);
      Future<Void> f =
          handle(d)
              .recover(
                  err -> {
                    log.storeFailed(d, err);
                    return Future.succeededFuture();
                  })
              .eventually(() -> release(d));
      running.add(f);
      f.onComplete(x -> running.remove(f));
      started.add(f);
    }
    return started;
  }

  private Future<Void> release(Outbox.Due d) {
    inFlight.remove(d.deliveryId());
    perChannel.computeIfPresent(d.channelId(), (k, n) -> n <= 1 ? null : n - 1);
    return Future.succeededFuture();
  }

  private Future<Void> handle(Outbox.Due d) {
    Decision decision;
    try {
      decision = policy.decide(d.event(), d.channelId(), d.raisedAt());
    } catch (RuntimeException e) {
      log.policyFailed(d, e);
      decision = Decision.waitUntil(settings.clock().instant().plusSeconds(5), "policy error");
    }
    return switch (decision.kind()) {
      case WAIT ->
          outbox.deferred(d.deliveryId(), decision.until(), "waiting: " + decision.reason());
      case SKIP ->
          outbox
              .closedElsewhere(
                  d.event().id(),
                  d.channelId(),
                  decision.reason() == null ? "another region" : decision.reason())
              .mapEmpty();
      case SEND -> send(d);
    };
  }

  private Future<Void> send(Outbox.Due d) {
    int attempt = d.attempts() + 1;
    ChannelSender sender = senders.acquire(d.channelId());
    if (sender == null) {
      String why =
          senders.removedByReload(d.channelId())
              ? Outbox.REMOVED_BY_RELOAD
              : "no channel '" + d.channelId() + "' is configured";
      return record(d, attempt, DeliveryResult.failed(-1, why));
    }
    return onContext(attemptOnce(sender, d, attempt))
        .andThen(ar -> senders.release(sender))
        .compose(r -> record(d, attempt, r));
  }

  private Future<DeliveryResult> attemptOnce(ChannelSender sender, Outbox.Due d, int attempt) {
    Future<DeliveryResult> f;
    try {
      f = sender.send(d.event(), attempt);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.timeout(settings.sendLimitMs(), TimeUnit.MILLISECONDS)
        .recover(t -> Future.succeededFuture(DeliveryResult.retry(-1, -1, "sender: " + t)));
  }

  private Future<Void> record(Outbox.Due d, int attempt, DeliveryResult r) {
    Instant now = settings.clock().instant();
    Instant next =
        r.outcome() == DeliveryResult.Outcome.RETRY
            ? settings
                .retry()
                .next(attempt, d.retryFrom(), now, r.retryAfterMs(), settings.random())
            : null;
    log.attempted(d, attempt, r, next);
    metrics.attempted(d.channelId(), r.outcome());
    return outbox
        .attempted(d.deliveryId(), r, next)
        .map(
            disabled -> {
              try {
                if (r.outcome() == DeliveryResult.Outcome.DELIVERED) {
                  policy.delivered(d.event().id(), d.channelId());
                } else if (disabled) {
                  onChannelDisabled.accept(ChannelEvents.disabled(d, r, now));
                }
              } catch (RuntimeException e) {
                log.policyFailed(d, e);
              }
              return null;
            });
  }

  /** Brings a future completed elsewhere (a sender's HTTP client) back onto this context. */
  private <T> Future<T> onContext(Future<T> f) {
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  private void compact() {
    outbox
        .compact(settings.clock().instant())
        .onSuccess(n -> log.compacted(n))
        .onFailure(err -> LOG.warn("alert compaction-failed error={}", err.toString()));
  }
}
