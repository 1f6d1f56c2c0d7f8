package io.quorate.alert;

import io.quorate.alert.DeliveryResult.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The outbox's SQL, one method per statement group; every call runs on the store's thread. */
final class OutboxQueries {
  private static final String NOT_PENDING =
      "NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.event_id = alert_events.id"
          + " AND d.state = 'pending')";

  boolean exists(Connection c, String eventId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM alert_events WHERE id = ?")) {
      p.setString(1, eventId);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  int pendingEvents(Connection c) throws SQLException {
    return (int)
        count(c, "SELECT count(DISTINCT event_id) FROM alert_deliveries WHERE state = 'pending'");
  }

  Map<String, String> disabledChannels(Connection c) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (PreparedStatement p = c.prepareStatement("SELECT id, reason FROM alert_channels");
        ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  void insertDelivery(
      Connection c, String eventId, String channel, Instant now, String disabledReason)
      throws SQLException {
    boolean disabled = disabledReason != null;
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO alert_deliveries (event_id, channel_id, state, retry_from,"
                + " next_attempt_at, last_detail, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, eventId);
      p.setString(2, channel);
      p.setString(3, disabled ? "disabled" : "pending");
      p.setLong(4, now.toEpochMilli());
      setTime(p, 5, disabled ? null : now);
      p.setString(6, disabled ? "channel disabled: " + disabledReason : null);
      setTime(p, 7, disabled ? now : null);
      p.executeUpdate();
    }
  }

  List<Outbox.Due> due(Connection c, Instant now, int limit, int perChannel) throws SQLException {
    String sql =
        "SELECT d.id AS d_id, d.channel_id, d.attempts, d.retry_from, "
            + OutboxRows.EVENT_COLUMNS
            + " FROM (SELECT id, event_id, channel_id, attempts, retry_from, next_attempt_at,"
            + " row_number() OVER (PARTITION BY channel_id ORDER BY next_attempt_at, id) AS rn"
            + " FROM alert_deliveries WHERE state = 'pending' AND next_attempt_at <= ?) d"
            + " JOIN alert_events e ON e.id = d.event_id"
            + " WHERE d.rn <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?";
    List<Outbox.Due> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, now.toEpochMilli());
      p.setInt(2, perChannel);
      p.setInt(3, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Outbox.Due(
                  rs.getLong("d_id"),
                  rs.getString("channel_id"),
                  OutboxRows.event(rs),
                  Instant.ofEpochMilli(rs.getLong("raised_at")),
                  Instant.ofEpochMilli(rs.getLong("retry_from")),
                  rs.getInt("attempts")));
        }
      }
    }
    return out;
  }

  boolean attempted(Connection c, long id, DeliveryResult r, Instant next, Instant now)
      throws SQLException {
    Outcome o = r.outcome();
    boolean retry = o == Outcome.RETRY && next != null;
    String state = o == Outcome.DELIVERED ? "delivered" : retry ? "pending" : "dead";
    String detail =
        o == Outcome.RETRY && next == null ? "retry period over: " + r.detail() : r.detail();
    String from = o == Outcome.DELIVERED ? "('pending', 'delivered-elsewhere')" : "('pending')";
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE alert_deliveries SET attempts = attempts + 1, last_status = ?,"
                + " last_detail = ?, last_attempt_at = ?, state = ?, next_attempt_at = ?,"
                + " closed_at = ?, closed_by = NULL WHERE id = ? AND state IN "
                + from)) {
      if (r.status() < 0) {
        p.setNull(1, Types.INTEGER);
      } else {
        p.setInt(1, r.status());
      }
      p.setString(2, OutboxRows.clip(detail));
      p.setLong(3, now.toEpochMilli());
      p.setString(4, state);
      setTime(p, 5, retry ? next : null);
      setTime(p, 6, retry ? null : now);
      p.setLong(7, id);
      if (p.executeUpdate() == 0 || o != Outcome.GONE) {
        return false;
      }
    }
    return disableChannel(c, id, r.detail(), now);
  }

  /** 410 Gone: the channel is disabled and its other pending deliveries dead-lettered. */
  private boolean disableChannel(Connection c, long deliveryId, String detail, Instant now)
      throws SQLException {
    String channel;
    try (PreparedStatement p =
        c.prepareStatement("SELECT channel_id FROM alert_deliveries WHERE id = ?")) {
      p.setLong(1, deliveryId);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        channel = rs.getString(1);
      }
    }
    String reason = OutboxRows.clip("endpoint gone: " + detail);
    int inserted;
    try (PreparedStatement p =
        c.prepareStatement("INSERT OR IGNORE INTO alert_channels VALUES (?, ?, ?)")) {
      p.setString(1, channel);
      p.setLong(2, now.toEpochMilli());
      p.setString(3, reason);
      inserted = p.executeUpdate();
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE alert_deliveries SET state = 'dead', last_detail = ?, next_attempt_at = NULL,"
                + " closed_at = ? WHERE channel_id = ? AND state = 'pending'")) {
      p.setString(1, reason);
      p.setLong(2, now.toEpochMilli());
      p.setString(3, channel);
      p.executeUpdate();
    }
    return inserted == 1;
  }

  void defer(Connection c, long id, Instant until, String reason) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE alert_deliveries SET next_attempt_at = ?, last_detail = ?"
                + " WHERE id = ? AND state = 'pending'")) {
      p.setLong(1, until.toEpochMilli());
      p.setString(2, OutboxRows.clip(reason));
      p.setLong(3, id);
      p.executeUpdate();
    }
  }

  int closeElsewhere(Connection c, String eventId, String channel, String by, Instant now)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE alert_deliveries SET state = 'delivered-elsewhere', closed_by = ?,"
                + " closed_at = ?, next_attempt_at = NULL WHERE event_id = ? AND channel_id = ?"
                + " AND state IN ('pending', 'dead', 'disabled')")) {
      p.setString(1, OutboxRows.clip(by));
      p.setLong(2, now.toEpochMilli());
      p.setString(3, eventId);
      p.setString(4, channel);
      return p.executeUpdate();
    }
  }

  /**
   * A reload removed {@code channel}: its pending deliveries not in {@code inFlight} are
   * dead-lettered with {@code reason} (replayable); returns how many.
   */
  int abandonChannel(
      Connection c, String channel, String reason, java.util.Set<Long> inFlight, Instant now)
      throws SQLException {
    String sql =
        "UPDATE alert_deliveries SET state = 'dead', last_detail = ?, next_attempt_at = NULL,"
            + " closed_at = ? WHERE channel_id = ? AND state = 'pending'";
    if (!inFlight.isEmpty()) {
      sql += " AND id NOT IN (" + "?,".repeat(inFlight.size() - 1) + "?)";
    }
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, OutboxRows.clip(reason));
      p.setLong(2, now.toEpochMilli());
      p.setString(3, channel);
      int i = 4;
      for (long id : inFlight) {
        p.setLong(i++, id);
      }
      return p.executeUpdate();
    }
  }

  /** A reload changed or added {@code channel}: a 410's disabling of that id no longer holds. */
  void enableChannel(Connection c, String channel) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("DELETE FROM alert_channels WHERE id = ?")) {
      p.setString(1, channel);
      p.executeUpdate();
    }
  }

  int reopen(Connection c, String eventId, Instant now) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "DELETE FROM alert_channels WHERE id IN (SELECT channel_id FROM alert_deliveries"
                + " WHERE event_id = ? AND state IN ('dead', 'disabled'))")) {
      p.setString(1, eventId);
      p.executeUpdate();
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE alert_deliveries SET state = 'pending', attempts = 0, retry_from = ?,"
                + " next_attempt_at = ?, closed_at = NULL, last_detail = 'replayed'"
                + " WHERE event_id = ? AND state IN ('dead', 'disabled')")) {
      p.setLong(1, now.toEpochMilli());
      p.setLong(2, now.toEpochMilli());
      p.setString(3, eventId);
      return p.executeUpdate();
    }
  }

  int compact(Connection c, Instant now, OutboxLimits limits) throws SQLException {
    int deleted =
        delete(
            c,
            "DELETE FROM alert_events WHERE raised_at < ? AND "
                + NOT_PENDING
                + " AND NOT EXISTS (SELECT 1 FROM alert_deliveries d"
                + " WHERE d.event_id = alert_events.id AND d.state = 'dead')",
            now.minus(limits.keepDelivered()).toEpochMilli());
    deleted +=
        delete(
            c,
            "DELETE FROM alert_events WHERE raised_at < ? AND " + NOT_PENDING,
            now.minus(limits.keepDead()).toEpochMilli());
    deleted +=
        delete(
            c,
            "DELETE FROM alert_events WHERE id IN (SELECT id FROM alert_events WHERE "
                + NOT_PENDING
                + " ORDER BY raised_at DESC, id LIMIT -1 OFFSET ?)",
            limits.maxClosedEvents());
    return deleted;
  }

  private static int delete(Connection c, String sql, long arg) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, arg);
      return p.executeUpdate();
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql);
        ResultSet rs = p.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void setTime(PreparedStatement p, int index, Instant t) throws SQLException {
    if (t == null) {
      p.setNull(index, Types.INTEGER);
    } else {
      p.setLong(index, t.toEpochMilli());
    }
  }
}
