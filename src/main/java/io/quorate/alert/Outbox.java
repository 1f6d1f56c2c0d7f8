package io.quorate.alert;

import io.quorate.store.Database;
import io.quorate.store.StoreException;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The durable alert outbox (RELIABILITY promise 5, ADR 0011): an event counts as raised only once
 * it and one delivery per channel are committed and fsynced; deliveries then move from pending to
 * delivered, delivered elsewhere (a receipt from another region), dead (replayable) or disabled.
 * Every method runs on the {@link Database}'s thread and returns a future.
 */
public final class Outbox {
  /** A delivery whose attempt is due. */
  public record Due(
      long deliveryId,
      String channelId,
      AlertEvent event,
      Instant raisedAt,
      Instant retryFrom,
      int attempts) {}

  /** The outcome of {@link #replay}: whether the event exists, and how many deliveries reopened. */
  public record Replay(boolean found, int reopened) {}

  private final Database db;
  private final Clock clock;
  private final OutboxLimits limits;
  private final OutboxQueries queries = new OutboxQueries();

  public Outbox(Database db, Clock clock, OutboxLimits limits) {
    this.db = db;
    this.clock = clock;
    this.limits = limits;
  }

  public Outbox(Database db, Clock clock) {
    this(db, clock, OutboxLimits.DEFAULT);
  }

  /**
   * Stores {@code event} and one pending delivery per distinct channel in one fsynced transaction
   * (channels disabled by a 410 get a {@code disabled} delivery instead). Succeeds with {@code
   * false}, changing nothing, when an event with this id is already stored. Fails with {@code
   * StoreException.Kind.FULL} while {@link OutboxLimits#maxPendingEvents()} events are pending.
   */
  public Future<Boolean> raise(AlertEvent event, List<String> channelIds) {
    List<String> channels = List.copyOf(new LinkedHashSet<>(channelIds));
    return db.durableTransaction(c -> insert(c, event, channels, clock.instant()));
  }

  private boolean insert(Connection c, AlertEvent event, List<String> channels, Instant now)
      throws SQLException {
    if (queries.exists(c, event.id())) {
      return false;
    }
    int pending = queries.pendingEvents(c);
    if (pending >= limits.maxPendingEvents()) {
      throw new StoreException(
          StoreException.Kind.FULL,
          "outbox holds " + pending + " pending events (limit); refusing " + event.id());
    }
    try (PreparedStatement p =
        c.prepareStatement("INSERT INTO alert_events VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
      OutboxRows.bindEvent(p, event, now);
      p.executeUpdate();
    }
    Map<String, String> disabled = queries.disabledChannels(c);
    for (String channel : channels) {
      queries.insertDelivery(c, event.id(), channel, now, disabled.get(channel));
    }
    return true;
  }

  /** Pending deliveries due at {@code now}, earliest first, at most {@code limit}. */
  /** Events with at least one pending delivery (the {@code /metrics} backlog gauge). */
  public Future<Integer> pendingEvents() {
    return db.read(queries::pendingEvents);
  }

  public Future<List<Due>> due(Instant now, int limit) {
    return due(now, limit, limit);
  }

  /** As {@link #due(Instant, int)}, with at most {@code perChannel} per channel (fairness). */
  public Future<List<Due>> due(Instant now, int limit, int perChannel) {
    return db.read(c -> queries.due(c, now, limit, perChannel));
  }

  /**
   * Records one attempt: DELIVERED closes it; RETRY keeps it pending until {@code nextAttempt} (or,
   * with {@code null}, dead-letters it: the retry period is over); FAILED dead-letters it; GONE
   * dead-letters it, disables its channel and dead-letters the channel's other pending deliveries
   * ("endpoint gone"). Succeeds with {@code true} when this call disabled the channel.
   */
  public Future<Boolean> attempted(long deliveryId, DeliveryResult result, Instant nextAttempt) {
    return db.transaction(
        c -> queries.attempted(c, deliveryId, result, nextAttempt, clock.instant()));
  }

  /** The send policy said WAIT: due again at {@code until}, no attempt counted. */
  public Future<Void> deferred(long deliveryId, Instant until, String reason) {
    return db.transaction(
        c -> {
          queries.defer(c, deliveryId, until, reason);
          return null;
        });
  }

  /**
   * Another region delivered {@code eventId} to {@code channelId}: its pending, dead or disabled
   * delivery here is closed as {@code delivered-elsewhere} by {@code region}. Succeeds with whether
   * a delivery changed.
   */
  public Future<Boolean> closedElsewhere(String eventId, String channelId, String region) {
    return db.transaction(
        c -> queries.closeElsewhere(c, eventId, channelId, region, clock.instant()) > 0);
  }

  /**
   * A live reload changed the channels (ADR 0017): the pending deliveries of each {@code removed}
   * channel, except those in {@code inFlight} (their attempt finishes and is recorded), are
   * dead-lettered with {@link #REMOVED_BY_RELOAD} (replayable once the channel is back); each
   * {@code renewed} (changed or added) channel is no longer disabled by an earlier 410. One
   * transaction; succeeds with the number of deliveries dead-lettered.
   */
  public Future<Integer> channelsReloaded(
      List<String> removed, List<String> renewed, java.util.Set<Long> inFlight) {
    java.util.Set<Long> skip = java.util.Set.copyOf(inFlight);
    return db.transaction(
        c -> {
          int n = 0;
          for (String ch : removed) {
            n += queries.abandonChannel(c, ch, REMOVED_BY_RELOAD, skip, clock.instant());
          }
          for (String ch : renewed) {
            queries.enableChannel(c, ch);
          }
          return n;
        });
  }

  /** The detail of a delivery dead-lettered because a reload removed its channel. */
  public static final String REMOVED_BY_RELOAD = "channel removed by reload";

  /** The newest {@code limit} events (by raise time) with the state of each delivery. */
  public Future<List<OutboxEvent>> recent(int limit) {
    return db.read(c -> OutboxRows.events(c, "", List.of(), limit, false));
  }

  /** Events with dead deliveries, newest first, each with only its dead deliveries. */
  public Future<List<OutboxEvent>> dead(int limit) {
    return db.read(
        c ->
            OutboxRows.events(
                c,
                "WHERE EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.event_id = e.id"
                    + " AND d.state = 'dead')",
                List.of(),
                limit,
                true));
  }

  /** One event with its deliveries, or {@code null}. */
  public Future<OutboxEvent> find(String eventId) {
    return db.read(
        c -> {
          List<OutboxEvent> one =
              OutboxRows.events(c, "WHERE e.id = ?", List.of(eventId), 1, false);
          return one.isEmpty() ? null : one.get(0);
        });
  }

  /**
   * Reopens the event's dead and disabled deliveries: pending now, attempts reset, a fresh retry
   * period; their channels are re-enabled (the operator asked to try again).
   */
  public Future<Replay> replay(String eventId) {
    return db.durableTransaction(
        c -> {
          if (!queries.exists(c, eventId)) {
            return new Replay(false, 0);
          }
          return new Replay(true, queries.reopen(c, eventId, clock.instant()));
        });
  }

  /**
   * Deletes what {@link OutboxLimits} no longer keeps: closed events past their retention, then the
   * oldest closed events beyond the count bound. Events with a pending delivery are never deleted.
   * Succeeds with the number of events deleted.
   */
  public Future<Integer> compact(Instant now) {
    return db.transaction(c -> queries.compact(c, now, limits));
  }
}
