package io.quorate.store;

import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verdict transitions in the store (ADR 0013): the raw history behind SLA reports. Each {@link
 * #record} is one row (target, from, to, at, the verdict's sequence, quorum and a one-line votes
 * summary); {@link #compact} keeps {@code retentionDays} and at most {@code maxRows} rows, always
 * keeping each target's newest row so its current state survives. Every method returns a future.
 */
public final class VerdictHistory {
  /** One recorded transition. */
  public record Transition(
      long id,
      String target,
      Status from,
      Status to,
      Instant at,
      long seq,
      boolean contested,
      int quorum,
      String votes) {}

  /**
   * Bounds of the history.
   *
   * @param retentionDays raw transitions older than this are deleted (default 400)
   * @param maxRows at most this many rows are kept, the oldest go first (default 1,000,000)
   * @param maxQueryRows a query returning more rows fails ({@code FULL}) instead of truncating
   */
  public record Limits(int retentionDays, int maxRows, int maxQueryRows) {
    public static final Limits DEFAULT = new Limits(400, 1_000_000, 200_000);

    public Limits {
      if (retentionDays < 1 || maxRows < 1 || maxQueryRows < 1) {
        throw new IllegalArgumentException("history limits must be >= 1");
      }
    }
  }

  static final int MAX_VOTES_CHARS = 1_000;
  private static final String COLUMNS =
      "id, target, from_state, to_state, at, seq, contested, quorum, votes";

  private final Database db;
  private final Clock clock;
  private final Limits limits;

  public VerdictHistory(Database db, Clock clock, Limits limits) {
    this.db = db;
    this.clock = clock;
    this.limits = limits;
  }

  public VerdictHistory(Database db, Clock clock) {
    this(db, clock, Limits.DEFAULT);
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Stores {@code change} at the new verdict's {@code since} (or now when it has none). A crash may
   * lose the last transitions only on an OS crash (synchronous=NORMAL, ADR 0011).
   */
  public Future<Transition> record(VerdictChange change) {
    Verdict v = change.after();
    Instant at = v.since() != null ? v.since() : clock.instant();
    String votes = votesSummary(v);
    return db.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO verdict_transitions (target, from_state, to_state, at, seq,"
                      + " contested, quorum, votes) VALUES (?,?,?,?,?,?,?,?) RETURNING id")) {
            p.setString(1, v.targetId());
            p.setString(2, change.before().state().name());
            p.setString(3, v.state().name());
            p.setLong(4, at.toEpochMilli());
            p.setLong(5, v.transition());
            p.setInt(6, v.contested() ? 1 : 0);
            p.setInt(7, v.quorum());
            p.setString(8, votes);
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              return new Transition(
                  rs.getLong(1),
                  v.targetId(),
                  change.before().state(),
                  v.state(),
                  Instant.ofEpochMilli(at.toEpochMilli()),
                  v.transition(),
                  v.contested(),
                  v.quorum(),
                  votes);
            }
          }
        });
  }

  /**
   * Stores a transition the maintenance overlay makes (ADR 0014): into MAINTENANCE at a window's
   * start, and out of it to the then-current engine state at its end. Not a quorum decision, so its
   * sequence and quorum are 0 and its votes summary says where it came from.
   */
  public Future<Transition> recordState(
      String target, Status from, Status to, Instant at, String note) {
    String votes = note.length() <= MAX_VOTES_CHARS ? note : note.substring(0, MAX_VOTES_CHARS);
    long ms = at.toEpochMilli();
    return db.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO verdict_transitions (target, from_state, to_state, at, seq,"
                      + " contested, quorum, votes) VALUES (?,?,?,?,0,0,0,?) RETURNING id")) {
            p.setString(1, target);
            p.setString(2, from.name());
            p.setString(3, to.name());
            p.setLong(4, ms);
            p.setString(5, votes);
            try (ResultSet rs = p.executeQuery()) {
              rs.next();
              return new Transition(
                  rs.getLong(1), target, from, to, Instant.ofEpochMilli(ms), 0, false, 0, votes);
            }
          }
        });
  }

  /** {@code target}'s transitions with {@code from <= at < to}, oldest first. */
  public Future<List<Transition>> transitions(String target, Instant from, Instant to) {
    return db.read(
        c ->
            query(
                c,
                "WHERE target = ? AND at >= ? AND at < ? ORDER BY at, id",
                target,
                from.toEpochMilli(),
                to.toEpochMilli()));
  }

  /** {@code target}'s timeline for a window starting at {@code from} and ending at {@code to}. */
  public Future<Timeline> timeline(String target, Instant from, Instant to) {
    return db.read(
        c -> {
          List<Transition> before =
              query(
                  c,
                  "WHERE target = ? AND at < ? ORDER BY at DESC, id DESC",
                  target,
                  from.toEpochMilli(),
                  null,
                  1);
          List<Transition> in =
              query(
                  c,
                  "WHERE target = ? AND at >= ? AND at < ? ORDER BY at, id",
                  target,
                  from.toEpochMilli(),
                  to.toEpochMilli());
          List<Timeline.Change> changes = new ArrayList<>();
          in.forEach(t -> changes.add(new Timeline.Change(t.at(), t.to())));
          return before.isEmpty()
              ? new Timeline(Status.UNKNOWN, null, changes)
              : new Timeline(before.get(0).to(), before.get(0).at(), changes);
        });
  }

  /**
   * Deletes rows older than {@code retentionDays} before {@code now} and the oldest beyond {@code
   * maxRows}, keeping each target's newest row. Succeeds with the number deleted.
   */
  public Future<Integer> compact(Instant now) {
    long cutoff = now.minus(Duration.ofDays(limits.retentionDays())).toEpochMilli();
    return db.transaction(
        c -> {
          String keep = " AND id NOT IN (SELECT max(id) FROM verdict_transitions GROUP BY target)";
          int deleted;
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM verdict_transitions WHERE at < ?" + keep)) {
            p.setLong(1, cutoff);
            deleted = p.executeUpdate();
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "DELETE FROM verdict_transitions WHERE id IN (SELECT id FROM"
                      + " verdict_transitions ORDER BY at DESC, id DESC LIMIT -1 OFFSET ?)"
                      + keep)) {
            p.setInt(1, limits.maxRows());
            deleted += p.executeUpdate();
          }
          return deleted;
        });
  }

  /** Rows matching {@code where}; more than {@code maxQueryRows} fail with {@code FULL}. */
  private List<Transition> query(Connection c, String where, String target, long a, Long b)
      throws SQLException {
    int cap = limits.maxQueryRows();
    List<Transition> out = query(c, where, target, a, b, cap + 1);
    if (out.size() > cap) {
      throw new StoreException(
          StoreException.Kind.FULL,
          "more than " + cap + " transitions of '" + target + "' in the range; narrow it");
    }
    return out;
  }

  private static List<Transition> query(
      Connection c, String where, String target, long a, Long b, int limit) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM verdict_transitions " + where + " LIMIT " + limit)) {
      p.setString(1, target);
      p.setLong(2, a);
      if (b != null) {
        p.setLong(3, b);
      }
      List<Transition> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return out;
    }
  }

  private static Transition row(ResultSet rs) throws SQLException {
    return new Transition(
        rs.getLong(1),
        rs.getString(2),
        Status.valueOf(rs.getString(3)),
        Status.valueOf(rs.getString(4)),
        Instant.ofEpochMilli(rs.getLong(5)),
        rs.getLong(6),
        rs.getInt(7) != 0,
        rs.getInt(8),
        rs.getString(9));
  }

  /** "eu-west=DOWN us-east=DOWN ap-south=UP(stale)", clipped to {@value #MAX_VOTES_CHARS} chars. */
  static String votesSummary(Verdict v) {
    StringBuilder sb = new StringBuilder();
    for (Verdict.VoteView vv : v.votes()) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(vv.region()).append('=').append(vv.vote() == null ? "NONE" : vv.vote().status());
      if (vv.vote() != null && !vv.fresh()) {
        sb.append("(stale)");
      } else if (vv.abstained()) {
        sb.append("(abstained)");
      }
    }
    return sb.length() <= MAX_VOTES_CHARS ? sb.toString() : sb.substring(0, MAX_VOTES_CHARS);
  }
}
