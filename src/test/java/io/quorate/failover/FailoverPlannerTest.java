package io.quorate.failover;

import static io.quorate.failover.PoolFixtures.b;
import static io.quorate.failover.PoolFixtures.p;
import static io.quorate.failover.PoolFixtures.pool;
import static io.quorate.failover.PoolFixtures.rails;
import static io.quorate.failover.PoolFixtures.verdicts;
import static io.quorate.failover.PoolFixtures.web;
import static io.quorate.failover.PoolFixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Pool;
import io.quorate.failover.ChangePlan.Kind;
import io.quorate.quorum.Verdict;
import io.quorate.testsupport.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The desired-set rule as a table: one row per rule of ADR 0007, each with the verdicts, the RRset
 * DNS serves, the decision, the RRset planned and a reason line it must carry. Rails and timelines
 * (hold-down, manual fail-back, rate limit, freeze, dry run) are in {@link
 * FailoverPlannerTimelineTest}.
 */
class FailoverPlannerTest {
  private static final Pool CNAME =
      pool(
          "CNAME",
          p("main", "main.example.test"),
          p("second", "second.example.test"),
          b("standby", "standby.example.test"));
  private static final Pool MX =
      pool("MX", p("mx1", "10 mx1.example.test"), b("mx2", "20 mx2.example.test"));

  /**
   * @param drain member ids an operator drained
   * @param desired the planned RRset's values (for NOOP/BLOCKED: the current ones)
   * @param reason a substring of one of the reason lines
   * @param failsOpen whether the plan reports failing open
   */
  record Case(
      String name,
      Pool pool,
      Map<String, Verdict> verdicts,
      Set<String> current,
      Set<String> drain,
      Kind kind,
      Set<String> desired,
      String reason,
      boolean failsOpen) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case row(
      String name,
      Pool pool,
      Map<String, Verdict> v,
      Set<String> current,
      Kind kind,
      Set<String> desired,
      String reason) {
    return new Case(name, pool, v, current, Set.of(), kind, desired, reason, false);
  }

  static final Set<String> ALL = Set.of("127.0.0.11", "127.0.0.12", "127.0.0.13");
  static final Map<String, Verdict> ALL_UP =
      verdicts("web-1=UP", "web-2=UP", "web-3=UP", "standby=UP");
  static final Map<String, Verdict> ALL_DOWN =
      verdicts("web-1=DOWN", "web-2=DOWN", "web-3=DOWN", "standby=DOWN");

  static Stream<Case> cases() {
    Pool web = web();
    return Stream.of(
        row("all up, all served: nothing to do", web, ALL_UP, ALL, Kind.NOOP, ALL, "no change"),
        row(
            "a member down is removed",
            web,
            verdicts("web-1=UP", "web-2=DOWN", "web-3=UP", "standby=UP"),
            ALL,
            Kind.CHANGE,
            Set.of("127.0.0.11", "127.0.0.13"),
            "web-2 (primary, 127.0.0.12): DOWN; removed"),
        row(
            "a backup is not served while a primary is eligible",
            web,
            ALL_UP,
            Set.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.20"),
            Kind.CHANGE,
            ALL,
            "standby (backup, 127.0.0.20): UP; removed"),
        row(
            "every primary down: the backups serve",
            web,
            verdicts("web-1=DOWN", "web-2=DOWN", "web-3=DOWN", "standby=UP"),
            ALL,
            Kind.CHANGE,
            Set.of("127.0.0.20"),
            "no primary is eligible: 1 eligible backup(s) serve"),
        new Case(
            "every member down: fail open keeps every primary",
            web,
            ALL_DOWN,
            ALL,
            Set.of(),
            Kind.NOOP,
            ALL,
            "fail open: no member is eligible; publishing 3 record(s)",
            true),
        new Case(
            "every member down while on backups: fail open restores the primaries",
            web,
            ALL_DOWN,
            Set.of("127.0.0.20"),
            Set.of(),
            Kind.CHANGE,
            ALL,
            "never an empty answer",
            true),
        row(
            "UNKNOWN in the RRset stays in",
            web,
            verdicts("web-1=UP", "web-2=UNKNOWN", "web-3=DOWN", "standby=UP"),
            ALL,
            Kind.CHANGE,
            Set.of("127.0.0.11", "127.0.0.12"),
            "web-2 (primary, 127.0.0.12): UNKNOWN, left as it is; stays"),
        row(
            "UNKNOWN out of the RRset stays out",
            web,
            verdicts("web-1=UP", "web-2=UNKNOWN", "web-3=UP", "standby=UP"),
            Set.of("127.0.0.11", "127.0.0.13"),
            Kind.NOOP,
            Set.of("127.0.0.11", "127.0.0.13"),
            "web-2 (primary, 127.0.0.12): UNKNOWN, left as it is; stays out"),
        row(
            "no verdict at all counts as UNKNOWN",
            web,
            verdicts("web-1=DOWN", "web-3=UP", "standby=UP"),
            ALL,
            Kind.CHANGE,
            Set.of("127.0.0.12", "127.0.0.13"),
            "web-2 (primary, 127.0.0.12): no verdict, left as it is; stays"),
        row(
            "every member UNKNOWN: nothing changes",
            web,
            verdicts("web-1=UNKNOWN", "web-2=UNKNOWN", "web-3=UNKNOWN", "standby=UNKNOWN"),
            Set.of("127.0.0.11"),
            Kind.NOOP,
            Set.of("127.0.0.11"),
            "every member's verdict is UNKNOWN: nothing changes"),
        new Case(
            "every member UNKNOWN and DNS empty: restore the primaries",
            web,
            Map.of(),
            Set.of(),
            Set.of(),
            Kind.CHANGE,
            ALL,
            "DNS serves no record: restoring",
            true),
        new Case(
            "a drained member is removed although UP",
            web,
            ALL_UP,
            ALL,
            Set.of("web-1"),
            Kind.CHANGE,
            Set.of("127.0.0.12", "127.0.0.13"),
            "web-1 (primary, 127.0.0.11): drained by an operator; removed",
            false),
        row(
            "drained in the config",
            pool(
                "A",
                p("a", "127.0.0.11"),
                new Pool.Member("c", "127.0.0.12", "c", primary(), true)),
            verdicts("a=UP", "c=UP"),
            Set.of("127.0.0.11", "127.0.0.12"),
            Kind.CHANGE,
            Set.of("127.0.0.11"),
            "c (primary, 127.0.0.12): drained by an operator; removed"),
        row(
            "DEGRADED counts as up by default",
            web,
            verdicts("web-1=DEGRADED", "web-2=UP", "web-3=UP"),
            ALL,
            Kind.NOOP,
            ALL,
            "web-1 (primary, 127.0.0.11): DEGRADED; stays"),
        row(
            "DEGRADED counts as down with degradedIsUp: false",
            with(web, rails().degradedIsDown()),
            verdicts("web-1=DEGRADED", "web-2=UP", "web-3=UP"),
            ALL,
            Kind.CHANGE,
            Set.of("127.0.0.12", "127.0.0.13"),
            "web-1 (primary, 127.0.0.11): DEGRADED, counted as down; removed"),
        row(
            "CNAME: the first eligible primary",
            CNAME,
            verdicts("main=UP", "second=UP", "standby=UP"),
            Set.of("standby.example.test"),
            Kind.CHANGE,
            Set.of("main.example.test"),
            "main (primary, main.example.test): UP for 3600000 ms (hold-down 30000 ms); added"),
        row(
            "CNAME: the next primary when the first is down",
            CNAME,
            verdicts("main=DOWN", "second=UP", "standby=UP"),
            Set.of("main.example.test"),
            Kind.CHANGE,
            Set.of("second.example.test"),
            "second (primary, second.example.test): UP for 3600000 ms"),
        row(
            "CNAME: the backup when every primary is down (active/passive)",
            CNAME,
            verdicts("main=DOWN", "second=DOWN", "standby=UP"),
            Set.of("main.example.test"),
            Kind.CHANGE,
            Set.of("standby.example.test"),
            "no primary is eligible"),
        new Case(
            "CNAME: fail open is the first primary",
            CNAME,
            verdicts("main=DOWN", "second=DOWN", "standby=DOWN"),
            Set.of("standby.example.test"),
            Set.of(),
            Kind.CHANGE,
            Set.of("main.example.test"),
            "fail open: no member is eligible; publishing 1 record(s)",
            true),
        row(
            "CNAME: an UNKNOWN current target stays",
            CNAME,
            verdicts("main=UP", "second=UNKNOWN", "standby=UP"),
            Set.of("second.example.test"),
            Kind.NOOP,
            Set.of("second.example.test"),
            "no change"),
        row(
            "MX: the backup exchanger takes over",
            MX,
            verdicts("mx1=DOWN", "mx2=UP"),
            Set.of("10 mx1.example.test"),
            Kind.CHANGE,
            Set.of("20 mx2.example.test"),
            "mx1 (primary, 10 mx1.example.test): DOWN; removed"),
        row(
            "MX: values read in another form compare equal",
            MX,
            verdicts("mx1=UP", "mx2=UP"),
            Set.of("10 MX1.Example.Test."),
            Kind.NOOP,
            Set.of("10 MX1.Example.Test."),
            "no change"),
        row(
            "minMembers 2: the healthiest current member is kept",
            with(web, rails().min(2).degradedIsDown()),
            verdicts("web-1=UP", "web-2=DOWN", "web-3=DEGRADED", "standby=DOWN"),
            ALL,
            Kind.CHANGE,
            Set.of("127.0.0.11", "127.0.0.13"),
            "minMembers 2: kept web-3 (DEGRADED)"),
        new Case(
            "minMembers 2 out of reach: fail open",
            with(web, rails().min(2)),
            verdicts("web-1=UP", "web-2=DOWN", "web-3=DOWN", "standby=DOWN"),
            Set.of("127.0.0.11"),
            Set.of(),
            Kind.CHANGE,
            ALL,
            "fail open: only 1 record(s) for minMembers 2",
            true),
        row(
            "a value that is no member's is removed",
            web,
            ALL_UP,
            Set.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.99"),
            Kind.CHANGE,
            ALL,
            "127.0.0.99: not a member's value, removed"));
  }

  private static Pool.Role primary() {
    return Pool.Role.PRIMARY;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void desiredSetRule(Case c) {
    MutableClock clock = new MutableClock(PoolFixtures.T0);
    PoolState state = new PoolState(c.pool(), clock);
    c.drain().forEach(state::drain);
    RRset current = new RRset(c.pool().name(), c.pool().type(), c.pool().ttl(), c.current());

    ChangePlan plan =
        new FailoverPlanner().plan(c.pool(), c.verdicts(), current, state, clock.instant());

    assertEquals(c.kind(), plan.kind(), String.join("\n", plan.reasons()));
    assertEquals(c.desired(), plan.desired().values(), String.join("\n", plan.reasons()));
    assertEquals(current, plan.expected());
    assertTrue(
        plan.reasons().stream().anyMatch(r -> r.contains(c.reason())),
        "no reason contains \"" + c.reason() + "\":\n" + String.join("\n", plan.reasons()));
    assertEquals(c.failsOpen(), FailoverPlanner.failsOpen(plan), String.join("\n", plan.reasons()));
    assertEquals(c.kind() == Kind.CHANGE, plan.writes());
    assertTrue(!plan.desired().isEmpty(), "never an empty answer");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyMemberHasOneReasonLine(Case c) {
    PoolState state = new PoolState(c.pool(), new MutableClock(PoolFixtures.T0));
    RRset current = new RRset(c.pool().name(), c.pool().type(), 60, c.current());
    List<String> reasons =
        new FailoverPlanner()
            .plan(c.pool(), c.verdicts(), current, state, PoolFixtures.T0)
            .reasons();
    for (Pool.Member m : c.pool().members()) {
      String prefix = m.id() + " (" + m.role().wireName() + ", " + m.value() + "): ";
      assertEquals(1, reasons.stream().filter(r -> r.startsWith(prefix)).count(), prefix);
    }
  }
}
