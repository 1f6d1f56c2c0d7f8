package io.quorate.failover;

import io.quorate.config.Pool;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pools, members, verdicts and RRsets for the planner tests; each member's target is its id. */
final class PoolFixtures {
  static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

  /** Verdicts are this old unless a test says otherwise: far beyond any hold-down. */
  static final Instant LONG_AGO = T0.minusSeconds(3_600);

  static final String NAME = "rr.example.test";

  private PoolFixtures() {}

  static Pool.Member p(String id, String value) {
    return new Pool.Member(id, value, id, Pool.Role.PRIMARY, false);
  }

  static Pool.Member b(String id, String value) {
    return new Pool.Member(id, value, id, Pool.Role.BACKUP, false);
  }

  /** Three primaries 127.0.0.11-13 and a backup 127.0.0.20. */
  static Pool web() {
    return pool(
        "A",
        p("web-1", "127.0.0.11"),
        p("web-2", "127.0.0.12"),
        p("web-3", "127.0.0.13"),
        b("standby", "127.0.0.20"));
  }

  /** Defaults of the YAML reference: ttl 60, minMembers 1, 10 per hour, hold-down 30 s. */
  static Pool pool(String type, Pool.Member... members) {
    return new Pool(
        "www",
        "example.test",
        NAME,
        type,
        60,
        List.of(members),
        1,
        10,
        3_600_000,
        30_000,
        6,
        600_000,
        Pool.Failback.AUTO,
        true,
        false);
  }

  /** A copy of {@code p} with the given rails changed (null/negative: unchanged). */
  static Pool with(Pool p, Rails r) {
    return new Pool(
        p.id(),
        p.zone(),
        p.name(),
        p.type(),
        p.ttl(),
        p.members(),
        r.minMembers > 0 ? r.minMembers : p.minMembers(),
        r.maxChanges > 0 ? r.maxChanges : p.maxChangesPerWindow(),
        p.windowMs(),
        p.holdDownMs(),
        r.flapChanges > 0 ? r.flapChanges : p.flapChanges(),
        p.flapWindowMs(),
        r.failback != null ? r.failback : p.failback(),
        r.degradedIsUp != null ? r.degradedIsUp : p.degradedIsUp(),
        r.dryRun != null ? r.dryRun : p.dryRun());
  }

  /** Rails to change in {@link #with}; chain the setters. */
  static final class Rails {
    int minMembers = -1;
    int maxChanges = -1;
    int flapChanges = -1;
    Pool.Failback failback;
    Boolean degradedIsUp;
    Boolean dryRun;

    Rails min(int n) {
      minMembers = n;
      return this;
    }

    Rails maxChanges(int n) {
      maxChanges = n;
      return this;
    }

    Rails flap(int n) {
      flapChanges = n;
      return this;
    }

    Rails manual() {
      failback = Pool.Failback.MANUAL;
      return this;
    }

    Rails degradedIsDown() {
      degradedIsUp = false;
      return this;
    }

    Rails dryRun() {
      dryRun = true;
      return this;
    }
  }

  static Rails rails() {
    return new Rails();
  }

  static Verdict verdict(String target, Status s, Instant since) {
    return new Verdict(target, s, s == Status.UNKNOWN ? null : since, 1, false, 2, List.of());
  }

  /** {@code "web-1=UP", "web-2=DOWN"}; each since {@link #LONG_AGO}. */
  static Map<String, Verdict> verdicts(String... entries) {
    Map<String, Verdict> out = new HashMap<>();
    for (String e : entries) {
      String[] kv = e.split("=");
      out.put(kv[0], verdict(kv[0], Status.valueOf(kv[1]), LONG_AGO));
    }
    return out;
  }

  static RRset rr(Pool pool, String... values) {
    return new RRset(pool.name(), pool.type(), pool.ttl(), Set.of(values));
  }

  static Set<String> values(String... values) {
    return Set.of(values);
  }
}
