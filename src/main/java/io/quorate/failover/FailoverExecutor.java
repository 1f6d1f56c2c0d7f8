package io.quorate.failover;

import io.quorate.agent.QuorumService;
import io.quorate.config.DnsZone;
import io.quorate.config.Pool;
import io.quorate.config.QuorateConfig;
import io.quorate.dns.DnsProvider;
import io.quorate.dns.DnsUpdateException;
import io.quorate.dns.Propagation;
import io.quorate.quorum.Decision;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.store.AuditLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns verdicts into DNS changes, one pool at a time, on its own event-loop context: read the
 * RRset the primary serves, plan (pure {@link FailoverPlanner}), ask the {@link QuorumService}
 * whether this agent may act (quorate, settled, writer rank + standby), apply the plan as a
 * compare-and-set UPDATE, then verify propagation. A prerequisite conflict means another writer (or
 * an operator) changed the RRset: the next step re-reads and re-plans, never blind-retries.
 * Transport and server failures back off with jitter. Nothing happens on a timer alone: with no
 * quorum, DNS stays as last published (static stability).
 */
public final class FailoverExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverExecutor.class);

  /** How often every pool is re-checked even without verdict changes. */
  public static final long RECONCILE_MS = 2_000;

  static final long MAX_BACKOFF_MS = 30_000;

  /** Prerequisite conflicts re-read at once this many times in a row, then back off. */
  static final int IMMEDIATE_REREADS = 2;

  /** Foreign changes counted from one read at most (a fence jumping far is not a flap storm). */
  static final long MAX_OBSERVED_PER_READ = 100;

  private final Vertx vertx;
  private final Context ctx;
  private final QuorateConfig config;
  private final String actor;
  private final Clock clock;
  private final QuorumService quorum;
  private final DnsProvider dns;
  private final AuditLog audit;
  private final FailoverMetrics metrics;
  private final BiConsumer<String, Map<String, Object>> events;

  /** Replaced whole by a reload (read by API threads), never mutated. */
  private volatile Map<String, PoolRuntime> pools;

  private final FailoverPlanner planner = new FailoverPlanner();
  private final io.quorate.lifecycle.Periodic reconciler;
  private volatile boolean stopping;
  private final io.vertx.core.Promise<Void> idle = io.vertx.core.Promise.promise();
  private volatile java.util.function.BiPredicate<String, Instant> frozenBy = (t, at) -> false;

  /** Per-pool runtime, confined to this executor's context. */
  static final class PoolRuntime {
    final Pool pool;
    final DnsZone zone;
    final PoolState state;
    boolean busy;
    boolean again;
    boolean retired;
    Instant dueSince;
    RRset lastSeen;
    long lastEpoch = -1;
    Instant nextAttempt = Instant.MIN;
    int failures;
    int conflicts;
    String lastDecision = "";
    volatile PoolView view;

    PoolRuntime(Pool pool, DnsZone zone, PoolState state) {
      this.pool = pool;
      this.zone = zone;
      this.state = state;
    }
  }

  public FailoverExecutor(
      Vertx vertx,
      QuorateConfig config,
      String region,
      Clock clock,
      QuorumService quorum,
      DnsProvider dns,
      AuditLog audit,
      FailoverMetrics metrics,
      BiConsumer<String, Map<String, Object>> events) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.config = config;
    this.actor = "agent:" + region;
    this.clock = clock;
    this.quorum = quorum;
    this.dns = dns;
    this.audit = audit;
    this.metrics = metrics;
    this.events = events;
    Map<String, PoolRuntime> all = new LinkedHashMap<>();
    for (Pool p : config.pools()) {
      all.put(p.id(), runtime(config, p));
    }
    pools = java.util.Collections.unmodifiableMap(all);
    this.reconciler =
        new io.quorate.lifecycle.Periodic(
            vertx, ctx, RECONCILE_MS, () -> pools.values().forEach(this::step));
  }

  private PoolRuntime runtime(QuorateConfig config, Pool p) {
    DnsZone z = config.zone(p.zone()).orElseThrow();
    PoolRuntime rt = new PoolRuntime(p, z, new PoolState(p, clock));
    rt.view = PoolView.initial(p);
    return rt;
  }

  /**
   * A live reload (ADR 0017), on this executor's context: removed pools stop (a step in flight
   * finishes, nothing follows it; their records stay as last published), added and changed pools
   * start afresh (hold-down, pause, drain and freeze state reset) and are planned at once, other
   * pools keep everything. Completes once applied.
   */
  public Future<Void> reconfigure(QuorateConfig next, io.quorate.config.ConfigDiff.Changes diff) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    ctx.runOnContext(
        v -> {
          java.util.Set<String> restart = diff.restarted();
          Map<String, PoolRuntime> now = new LinkedHashMap<>();
          for (Pool pool : next.pools()) {
            PoolRuntime old = pools.get(pool.id());
            now.put(
                pool.id(), old == null || restart.contains(pool.id()) ? runtime(next, pool) : old);
          }
          pools.values().stream()
              .filter(rt -> now.get(rt.pool.id()) != rt)
              .forEach(rt -> rt.retired = true);
          pools = java.util.Collections.unmodifiableMap(now);
          restart.forEach(id -> step(now.get(id)));
          p.complete();
        });
    return p.future();
  }

  public void start() {
    reconciler.start(null);
  }

  /**
   * Starts no more steps (no read, plan or write) and cancels the reconcile timer; completes when
   * the steps in flight (a write included; not its propagation check) are over. Idempotent, also
   * before a start.
   */
  public Future<Void> stop() {
    stopping = true; // at once: a step not yet begun when this returns never begins
    reconciler.stop().onComplete(v -> completeIfIdle());
    return idle.future();
  }

  private void completeIfIdle() {
    if (stopping && pools.values().stream().noneMatch(rt -> rt.busy)) {
      idle.tryComplete();
    }
  }

  /**
   * Maintenance with {@code failover: FREEZE}: while {@code frozen} holds for a member's target, no
   * DNS change is made for its pool (ADR 0014).
   */
  public void frozenBy(java.util.function.BiPredicate<String, Instant> frozen) {
    this.frozenBy = frozen;
  }

  /** Re-plans every pool from the current verdicts now (a maintenance freeze ended). */
  public void replan() {
    ctx.runOnContext(v -> pools.values().forEach(this::step));
  }

  /** A verdict changed: record it for hold-down and re-plan the pools that use the target. */
  public void onVerdict(VerdictChange c) {
    ctx.runOnContext(
        v -> {
          Verdict after = c.after();
          for (PoolRuntime rt : pools.values()) {
            if (rt.pool.members().stream().anyMatch(m -> m.target().equals(after.targetId()))) {
              rt.state.recordVerdict(after);
              step(rt);
            }
          }
        });
  }

  /** Read-only view for the API. */
  public List<PoolView> views() {
    return pools.values().stream().map(rt -> rt.view).toList();
  }

  public PoolView view(String poolId) {
    PoolRuntime rt = pools.get(poolId);
    return rt == null ? null : rt.view;
  }

  /**
   * An operator action ({@code pause}, {@code resume}, {@code reconcile}, {@code release}, {@code
   * drain}, {@code undrain}); audited; completes with the pool's view afterwards.
   */
  public Future<PoolView> operate(String poolId, String action, String member, String who) {
    return onContext(() -> operateNow(poolId, action, member, who));
  }

  private Future<PoolView> onContext(java.util.function.Supplier<PoolView> body) {
    io.vertx.core.Promise<PoolView> p = io.vertx.core.Promise.promise();
    ctx.runOnContext(
        v -> {
          try {
            p.complete(body.get());
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }

  private PoolView operateNow(String poolId, String action, String member, String who) {
    PoolRuntime rt = pools.get(poolId);
    if (rt == null) {
      throw new IllegalArgumentException("no pool " + poolId);
    }
    Instant now = clock.instant();
    switch (action) {
      case "pause" -> rt.state.pause();
      case "resume" -> rt.state.resume();
      case "release" -> rt.state.release();
      case "drain" -> rt.state.drain(member);
      case "undrain" -> rt.state.undrain(member);
      case "reconcile" -> rt.nextAttempt = Instant.MIN;
      default -> throw new IllegalArgumentException("unknown action " + action);
    }
    audit.add(
        now,
        poolId,
        action,
        "ok",
        who,
        List.of(member == null ? action : action + " " + member),
        Map.of());
    step(rt);
    return rt.view;
  }

  private void step(PoolRuntime rt) {
    if (stopping || rt.retired) {
      return;
    }
    if (rt.busy) {
      rt.again = true;
      return;
    }
    if (clock.instant().isBefore(rt.nextAttempt)) {
      return;
    }
    rt.busy = true;
    rt.again = false;
    Pool p = rt.pool;
    dns.read(rt.zone, p.name(), p.type())
        .compose(current -> epoch(rt.zone).compose(epoch -> decideAndApply(rt, current, epoch)))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failed(rt, ar.cause());
              } else {
                rt.failures = 0;
                rt.conflicts = 0;
                rt.nextAttempt = Instant.MIN;
              }
              rt.busy = false;
              if (rt.again) {
                step(rt);
              }
              completeIfIdle();
            });
  }

  /**
   * The zone's epoch fence value (bumped by every writer's UPDATE), or -1 without one: it counts
   * changes exactly, where comparing successive reads misses two changes between reads.
   */
  private Future<Long> epoch(DnsZone zone) {
    if (zone.epochRecord() == null || zone.isEmbedded()) {
      return Future.succeededFuture(-1L);
    }
    return dns.read(zone, zone.epochRecord(), "TXT")
        .map(
            txt -> {
              if (txt.values().size() != 1) {
                return txt.isEmpty() ? 0L : -1L;
              }
              try {
                return Long.parseLong(txt.values().iterator().next().trim());
              } catch (NumberFormatException e) {
                return -1L; // the UPDATE itself reports a bad fence; counting falls back to reads
              }
            });
  }

  private Future<Void> decideAndApply(PoolRuntime rt, RRset current, long epoch) {
    Instant now = clock.instant();
    Map<String, Verdict> verdicts = new HashMap<>();
    for (Pool.Member m : rt.pool.members()) {
      Verdict v = quorum.verdict(m.target());
      if (v != null) {
        verdicts.put(m.target(), v);
      }
    }
    observeForeignChange(rt, current, epoch, now);
    ChangePlan plan = planner.plan(rt.pool, verdicts, current, rt.state, now);
    rt.view = PoolView.of(rt.pool, rt.zone, rt.state, current, plan, rt.view, now);
    if (!plan.writes()) {
      rt.dueSince = plan.kind() == ChangePlan.Kind.CHANGE ? rt.dueSince : null;
      auditOnce(rt, plan, plan.kind() == ChangePlan.Kind.NOOP ? "noop" : "blocked", null);
      return Future.succeededFuture();
    }
    if (maintenanceFrozen(rt, plan, now)) {
      return Future.succeededFuture();
    }
    if (rt.dueSince == null) {
      rt.dueSince = now;
    }
    // an embedded zone is each agent's own copy: every quorate agent writes it, no writer rank
    Future<Decision> decision =
        rt.zone.isEmbedded() ? quorum.decideLocal() : quorum.decide(rt.dueSince);
    return decision.compose(d -> act(rt, plan, d));
  }

  /** True (audited once per plan) when a member is in a maintenance window that freezes it. */
  private boolean maintenanceFrozen(PoolRuntime rt, ChangePlan plan, Instant now) {
    List<String> covered =
        rt.pool.members().stream()
            .map(Pool.Member::target)
            .filter(t -> frozenBy.test(t, now))
            .distinct()
            .toList();
    if (covered.isEmpty()) {
      return false;
    }
    String key = "maintenance-freeze|" + plan.desired().values() + "|" + covered;
    if (!key.equals(rt.lastDecision)) {
      rt.lastDecision = key;
      LOG.info("failover maintenance-freeze pool={} covered={}", rt.pool.id(), covered);
      audit.add(
          now,
          rt.pool.id(),
          "maintenance-freeze",
          "blocked",
          actor,
          List.of("maintenance window with failover: freeze covers " + covered),
          Map.of(
              "expected",
              String.valueOf(plan.expected().values()),
              "desired",
              String.valueOf(plan.desired().values())));
    }
    return true;
  }

  private Future<Void> act(PoolRuntime rt, ChangePlan plan, Decision d) {
    if (!d.mayAct()) {
      String why =
          d.kind() == Decision.Kind.WAIT
              ? "writer rank " + d.rank() + " waits until " + d.until()
              : d.reason();
      auditOnce(rt, plan, "deferred", why);
      return Future.succeededFuture();
    }
    return dns.apply(rt.zone, plan)
        .compose(
            result -> {
              Instant now = clock.instant();
              boolean frozeNow = rt.state.recordApplied(plan).isPresent();
              rt.lastSeen = plan.desired();
              rt.lastEpoch = result.epoch();
              rt.dueSince = null;
              rt.lastDecision = "";
              metrics.applied(rt.pool.id());
              audit.add(
                  now,
                  rt.pool.id(),
                  "update",
                  "applied",
                  actor,
                  plan.reasons(),
                  Map.of(
                      "expected",
                      String.valueOf(plan.expected().values()),
                      "desired",
                      String.valueOf(plan.desired().values()),
                      "epoch",
                      String.valueOf(result.epoch()),
                      "messageId",
                      String.valueOf(result.messageId()),
                      "serverMs",
                      String.format(java.util.Locale.ROOT, "%.1f", result.serverMs()),
                      "votes",
                      votes(rt)));
              LOG.info(
                  "failover applied pool={} from={} to={}",
                  rt.pool.id(),
                  plan.expected().values(),
                  plan.desired().values());
              event(
                  "pool.changed",
                  rt,
                  Map.of(
                      "from",
                      List.copyOf(plan.expected().values()),
                      "to",
                      List.copyOf(plan.desired().values()),
                      "reasons",
                      plan.reasons()));
              if (frozeNow) {
                frozen(rt, now);
              }
              if (FailoverPlanner.failsOpen(plan)) {
                event("pool.fail-open", rt, Map.of("reasons", plan.reasons()));
              }
              rt.view = rt.view.applied(plan, now);
              propagate(rt, plan, timeline(rt, plan, now));
              return Future.<Void>succeededFuture();
            });
  }

  /**
   * A change this agent did not write (another region, or an operator) counts toward the rate limit
   * and flap detection exactly like its own: every region then freezes on the same flapping,
   * instead of the next writer rank carrying on where a frozen one stopped.
   */
  private void observeForeignChange(PoolRuntime rt, RRset current, long epoch, Instant now) {
    RRset before = rt.lastSeen;
    long epochBefore = rt.lastEpoch;
    rt.lastSeen = current;
    rt.lastEpoch = epoch;
    long changes;
    if (epoch >= 0 && epochBefore >= 0) {
      // exact: one epoch step per UPDATE, even A -> B -> A between two reads
      changes = Math.min(Math.max(0, epoch - epochBefore), MAX_OBSERVED_PER_READ);
    } else {
      changes = before == null || before.sameRecords(current) ? 0 : 1;
    }
    if (before == null || changes == 0) {
      return;
    }
    ChangePlan seen =
        new ChangePlan(
            rt.pool.id(),
            ChangePlan.Kind.CHANGE,
            before,
            current,
            List.of("observed: the RRset changed without this agent writing it"),
            null);
    boolean froze = false;
    for (long i = 0; i < changes; i++) {
      froze |= rt.state.recordApplied(seen).isPresent();
    }
    audit.add(
        now,
        rt.pool.id(),
        "observed",
        "changed",
        actor,
        seen.reasons(),
        Map.of(
            "from",
            String.valueOf(before.values()),
            "to",
            String.valueOf(current.values()),
            "changes",
            String.valueOf(changes)));
    if (froze) {
      frozen(rt, now);
    }
  }

  /** Each member's verdict and the votes behind it, e.g. {@code web-2=DOWN(up 0, down 3)}. */
  private String votes(PoolRuntime rt) {
    StringBuilder b = new StringBuilder();
    for (Pool.Member m : rt.pool.members()) {
      Verdict v = quorum.verdict(m.target());
      if (v == null) {
        continue;
      }
      long up =
          v.votes().stream()
              .filter(x -> x.counts() && x.vote().status() != io.quorate.quorum.Status.DOWN)
              .count();
      long down =
          v.votes().stream()
              .filter(x -> x.counts() && x.vote().status() == io.quorate.quorum.Status.DOWN)
              .count();
      b.append(b.length() == 0 ? "" : ", ")
          .append(m.target())
          .append('=')
          .append(v.state())
          .append("(up ")
          .append(up)
          .append(", down ")
          .append(down)
          .append(')');
    }
    return b.toString();
  }

  /** Flap detection froze the pool: audited and announced once. */
  private void frozen(PoolRuntime rt, Instant now) {
    audit.add(
        now,
        rt.pool.id(),
        "freeze",
        "frozen",
        actor,
        List.of("flapping: too many changes in the flap window"),
        Map.of());
    event("pool.frozen", rt, Map.of("reason", "flapping"));
  }

  private void propagate(PoolRuntime rt, ChangePlan plan, Timeline t) {
    dns.awaitPropagation(rt.zone, plan.desired())
        .onSuccess(prop -> ctx.runOnContext(v -> propagated(rt, plan, t, prop)));
  }

  private void propagated(PoolRuntime rt, ChangePlan plan, Timeline t, Propagation prop) {
    Instant now = clock.instant();
    rt.view = rt.view.propagated(prop, now);
    if (prop.complete()) {
      metrics.failoverDuration(rt.pool.id(), Duration.between(t.detectedAt(), now));
    } else {
      event("pool.propagation-timeout", rt, Map.of("servers", prop.servers()));
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("servers", String.valueOf(prop.servers()));
    details.put("elapsedMs", String.valueOf(Math.round(prop.elapsedMs())));
    // the timeline of this change: first region's vote -> quorum verdict -> write -> propagated
    details.put("detectedAt", String.valueOf(t.detectedAt()));
    details.put("verdictAt", String.valueOf(t.verdictAt()));
    details.put("writtenAt", String.valueOf(t.writtenAt()));
    details.put("propagatedAt", prop.complete() ? String.valueOf(now) : "");
    details.put(
        "detectedToPropagatedMs",
        prop.complete() ? String.valueOf(Duration.between(t.detectedAt(), now).toMillis()) : "");
    audit.add(
        now,
        rt.pool.id(),
        "propagation",
        prop.complete() ? "ok" : "timeout",
        actor,
        List.of(
            prop.complete()
                ? "every authoritative server serves the new RRset"
                : "not every server serves it after " + rt.zone.propagationTimeoutMs() + " ms"),
        details);
  }

  /**
   * When the change became known: the earliest verdict change ({@code since}) and the earliest
   * region vote agreeing with it, among the members whose presence this plan changes. The vote's
   * {@code since} is when that region's hysteresis flipped, i.e. {@code fall} (or {@code rise})
   * results after the first one: a lower bound on the real failure time minus (fall−1) intervals.
   */
  private Timeline timeline(PoolRuntime rt, ChangePlan plan, Instant written) {
    java.util.Set<String> changed = new java.util.HashSet<>(plan.expected().values());
    changed.addAll(plan.desired().values());
    java.util.Set<String> both = new java.util.HashSet<>(plan.expected().values());
    both.retainAll(plan.desired().values());
    changed.removeAll(both);
    Instant verdictAt = written;
    Instant detectedAt = written;
    for (Pool.Member m : rt.pool.members()) {
      if (!changed.contains(m.value().toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      Verdict v = quorum.verdict(m.target());
      if (v == null || v.since() == null) {
        continue;
      }
      verdictAt = v.since().isBefore(verdictAt) ? v.since() : verdictAt;
      for (Verdict.VoteView vv : v.votes()) {
        if (vv.counts()
            && vv.vote().status() == v.state()
            && vv.vote().since() != null
            && vv.vote().since().isBefore(detectedAt)) {
          detectedAt = vv.vote().since();
        }
      }
    }
    detectedAt = detectedAt.isAfter(verdictAt) ? verdictAt : detectedAt;
    return new Timeline(detectedAt, verdictAt, written);
  }

  /** One change's timeline: first region's vote, quorum verdict, UPDATE accepted. */
  record Timeline(Instant detectedAt, Instant verdictAt, Instant writtenAt) {}

  private void failed(PoolRuntime rt, Throwable err) {
    Instant now = clock.instant();
    if (err instanceof DnsUpdateException e
        && e.kind() == DnsUpdateException.Kind.PREREQUISITE_FAILED) {
      // another writer or an operator changed the RRset: re-read and re-plan at once
      metrics.conflict(rt.pool.id());
      audit.add(
          now,
          rt.pool.id(),
          "update",
          "conflict",
          actor,
          List.of("the server refused the prerequisite: the RRset changed; re-reading"),
          Map.of("rcode", String.valueOf(e.rcode())));
      rt.conflicts++;
      if (rt.conflicts <= IMMEDIATE_REREADS) {
        rt.again = true;
        return;
      }
      // conflicts that keep coming (another writer fighting, or a server that never accepts
      // our prerequisite) back off like any failure instead of hammering the primary
    }
    rt.failures++;
    long backoff = Math.min(MAX_BACKOFF_MS, 500L << Math.min(rt.failures, 10));
    backoff = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    rt.nextAttempt = now.plusMillis(backoff);
    String kind = err instanceof DnsUpdateException e ? e.kind().name() : "INTERNAL";
    metrics.failed(rt.pool.id(), kind);
    if (rt.failures == 1 || rt.failures % 10 == 0) {
      // the first failure and every tenth: a dead primary must not flood the log
      LOG.warn(
          "failover error pool={} kind={} failures={} detail=\"{}\" retryInMs={}",
          rt.pool.id(),
          kind,
          rt.failures,
          err.getMessage(),
          backoff);
    }
    audit.add(
        now,
        rt.pool.id(),
        "update",
        "error",
        actor,
        List.of("failover cannot be applied: " + err.getMessage()),
        Map.of("kind", kind, "retryInMs", String.valueOf(backoff)));
    if (rt.failures == 1) {
      event("pool.error", rt, Map.of("kind", kind, "detail", String.valueOf(err.getMessage())));
    }
    rt.view = rt.view.error(kind + ": " + err.getMessage(), now);
  }

  /** Audits a non-write decision only when it differs from the previous one for that pool. */
  private void auditOnce(PoolRuntime rt, ChangePlan plan, String outcome, String why) {
    String key = outcome + "|" + plan.blockedBy() + "|" + plan.desired().values() + "|" + why;
    if (key.equals(rt.lastDecision)) {
      return;
    }
    rt.lastDecision = key;
    if ("noop".equals(outcome)) {
      return;
    }
    List<String> reasons = new java.util.ArrayList<>(plan.reasons());
    if (why != null) {
      reasons.add(why);
    }
    audit.add(
        clock.instant(),
        rt.pool.id(),
        "plan",
        outcome,
        actor,
        reasons,
        Map.of(
            "expected",
            String.valueOf(plan.expected().values()),
            "desired",
            String.valueOf(plan.desired().values()),
            "blockedBy",
            String.valueOf(plan.blockedBy())));
    if ("blocked".equals(outcome) && "frozen".equals(plan.blockedBy())) {
      return;
    }
    if (FailoverPlanner.failsOpen(plan)) {
      event("pool.fail-open", rt, Map.of("reasons", plan.reasons()));
    }
  }

  private void event(String kind, PoolRuntime rt, Map<String, Object> data) {
    Map<String, Object> d = new LinkedHashMap<>(data);
    d.put("pool", rt.pool.id());
    events.accept(kind, d);
  }
}
