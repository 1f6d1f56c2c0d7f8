package io.quorate.alert;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Row mapping and reads of the outbox tables (migration 1): times are epoch milliseconds. */
final class OutboxRows {
  static final int DETAIL_MAX = 500;

  static final String EVENT_COLUMNS =
      "e.id, e.kind, e.severity, e.subject, e.grp, e.summary, e.details, e.occurred_at,"
          + " e.region, e.dedup_key, e.resolution, e.raised_at";

  static final String DELIVERY_COLUMNS =
      "d.id AS d_id, d.event_id, d.channel_id, d.state, d.attempts, d.last_status,"
          + " d.last_detail, d.last_attempt_at, d.next_attempt_at, d.closed_at, d.closed_by";

  private OutboxRows() {}

  static void bindEvent(PreparedStatement p, AlertEvent e, Instant raisedAt) throws SQLException {
    p.setString(1, e.id());
    p.setString(2, e.kind());
    p.setString(3, e.severity().name());
    p.setString(4, e.subject());
    p.setString(5, e.group());
    p.setString(6, e.summary());
    p.setString(7, new JsonObject(new TreeMap<String, Object>(e.details())).encode());
    p.setLong(8, e.occurredAt().toEpochMilli());
    p.setString(9, e.region());
    p.setString(10, e.dedupKey());
    p.setInt(11, e.resolution() ? 1 : 0);
    p.setLong(12, raisedAt.toEpochMilli());
  }

  static AlertEvent event(ResultSet rs) throws SQLException {
    Map<String, String> details = new LinkedHashMap<>();
    new JsonObject(rs.getString("details")).forEach(en -> details.put(en.getKey(), str(en)));
    return new AlertEvent(
        rs.getString("id"),
        rs.getString("kind"),
        AlertEvent.Severity.valueOf(rs.getString("severity")),
        rs.getString("subject"),
        rs.getString("grp"),
        rs.getString("summary"),
        details,
        Instant.ofEpochMilli(rs.getLong("occurred_at")),
        rs.getString("region"),
        rs.getString("dedup_key"),
        rs.getInt("resolution") != 0);
  }

  private static String str(Map.Entry<String, Object> en) {
    return en.getValue() == null ? null : en.getValue().toString();
  }

  static Delivery delivery(ResultSet rs) throws SQLException {
    int status = rs.getInt("last_status");
    if (rs.wasNull()) {
      status = -1;
    }
    return new Delivery(
        rs.getLong("d_id"),
        rs.getString("channel_id"),
        Delivery.State.fromWire(rs.getString("state")),
        rs.getInt("attempts"),
        status,
        rs.getString("last_detail"),
        instant(rs, "last_attempt_at"),
        instant(rs, "next_attempt_at"),
        instant(rs, "closed_at"),
        rs.getString("closed_by"));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long ms = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
  }

  static String clip(String detail) {
    if (detail == null) {
      return null;
    }
    return detail.length() <= DETAIL_MAX ? detail : detail.substring(0, DETAIL_MAX) + "…";
  }

  /** Events matching {@code where} (alias {@code e}), newest first, with their deliveries. */
  static List<OutboxEvent> events(
      Connection c, String where, List<String> params, int limit, boolean deadOnly)
      throws SQLException {
    Map<String, AlertEvent> events = new LinkedHashMap<>();
    Map<String, Instant> raised = new HashMap<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT "
                + EVENT_COLUMNS
                + " FROM alert_events e "
                + where
                + " ORDER BY e.raised_at DESC, e.id LIMIT ?")) {
      for (int i = 0; i < params.size(); i++) {
        p.setString(i + 1, params.get(i));
      }
      p.setInt(params.size() + 1, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          AlertEvent e = event(rs);
          events.put(e.id(), e);
          raised.put(e.id(), Instant.ofEpochMilli(rs.getLong("raised_at")));
        }
      }
    }
    Map<String, List<Delivery>> deliveries = deliveries(c, events.keySet(), deadOnly);
    List<OutboxEvent> out = new ArrayList<>(events.size());
    events.forEach(
        (id, e) ->
            out.add(new OutboxEvent(e, raised.get(id), deliveries.getOrDefault(id, List.of()))));
    return out;
  }

  private static Map<String, List<Delivery>> deliveries(
      Connection c, Collection<String> eventIds, boolean deadOnly) throws SQLException {
    Map<String, List<Delivery>> out = new HashMap<>();
    if (eventIds.isEmpty()) {
      return out;
    }
    String marks = String.join(",", java.util.Collections.nCopies(eventIds.size(), "?"));
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT "
                + DELIVERY_COLUMNS
                + " FROM alert_deliveries d"
                + " WHERE d.event_id IN ("
                + marks
                + ")"
                + (deadOnly ? " AND d.state = 'dead'" : "")
                + " ORDER BY d.channel_id")) {
      int i = 1;
      for (String id : eventIds) {
        p.setString(i++, id);
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString("event_id"), k -> new ArrayList<>()).add(delivery(rs));
        }
      }
    }
    return out;
  }
}
