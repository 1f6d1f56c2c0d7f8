package io.quorate.failover;

import io.quorate.config.DnsZone;
import io.quorate.config.Pool;
import io.quorate.dns.Propagation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of one pool for the API: what DNS serves, what it should serve, the last
 * decision and change, propagation per authoritative server, and the rails in force.
 *
 * @param pool the pool's configuration
 * @param actual the RRset the primary served at the last read ({@code null} before the first)
 * @param desired what the planner wants ({@code null} before the first plan)
 * @param decision NOOP, CHANGE or BLOCKED at the last plan
 * @param blockedBy the rail that blocked it, or {@code null}
 * @param reasons the last plan's reasons
 * @param paused an operator paused the pool
 * @param frozen frozen by flap detection
 * @param pinned manual fail-back keeps it on backups until released
 * @param drained member ids administratively kept out
 * @param lastChangeAt when this agent last applied a change
 * @param lastChange "from → to" of that change
 * @param propagation the last propagation check per server, or empty
 * @param propagated whether every server served the last change
 * @param lastError the last failure, or {@code null}
 * @param updatedAt when this view was computed
 */
public record PoolView(
    Pool pool,
    RRset actual,
    RRset desired,
    ChangePlan.Kind decision,
    String blockedBy,
    List<String> reasons,
    boolean paused,
    boolean frozen,
    boolean pinned,
    Set<String> drained,
    Instant lastChangeAt,
    String lastChange,
    Map<String, String> propagation,
    Boolean propagated,
    String lastError,
    Instant updatedAt) {

  static PoolView initial(Pool p) {
    return new PoolView(
        p, null, null, null, null, List.of(), false, false, false, Set.of(), null, null, Map.of(),
        null, null, null);
  }

  static PoolView of(
      Pool p,
      DnsZone z,
      PoolState s,
      RRset actual,
      ChangePlan plan,
      PoolView previous,
      Instant now) {
    return new PoolView(
        p,
        actual,
        plan.desired(),
        plan.kind(),
        plan.blockedBy(),
        plan.reasons(),
        s.paused(),
        s.frozen().isPresent(),
        s.pinned(),
        s.drained(),
        previous.lastChangeAt,
        previous.lastChange,
        previous.propagation,
        previous.propagated,
        null,
        now);
  }

  PoolView applied(ChangePlan plan, Instant now) {
    return new PoolView(
        pool,
        plan.desired(),
        desired,
        decision,
        blockedBy,
        reasons,
        paused,
        frozen,
        pinned,
        drained,
        now,
        plan.expected().values() + " -> " + plan.desired().values(),
        Map.of(),
        null,
        null,
        now);
  }

  PoolView propagated(Propagation p, Instant now) {
    return new PoolView(
        pool,
        actual,
        desired,
        decision,
        blockedBy,
        reasons,
        paused,
        frozen,
        pinned,
        drained,
        lastChangeAt,
        lastChange,
        p.servers(),
        p.complete(),
        lastError,
        now);
  }

  PoolView error(String error, Instant now) {
    return new PoolView(
        pool,
        actual,
        desired,
        decision,
        blockedBy,
        reasons,
        paused,
        frozen,
        pinned,
        drained,
        lastChangeAt,
        lastChange,
        propagation,
        propagated,
        error,
        now);
  }
}
