package io.quorate.faults;

import static io.quorate.faults.Contract.live;
import static io.quorate.faults.Contract.quorate;
import static io.quorate.faults.Contract.regions;
import static io.quorate.faults.Contract.settled;
import static io.quorate.faults.FailoverLab.MEMBERS;
import static io.quorate.faults.FailoverLab.REGIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.AgentApi;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.NetnsZoneWatcher;
import io.quorate.testsupport.NetnsZoneWatcher.Change;
import io.quorate.testsupport.NetnsZoneWatcher.Observation;
import io.quorate.testsupport.Poll;
import io.quorate.testsupport.QuorateCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link FailoverLab} per test class. Before each test every fault is healed, every member's
 * nginx runs, the zone holds the configured set, and all three agents are started afresh (their
 * rails, hold-down and flap counters live in memory: a scenario never inherits another's) and must
 * converge: quorate, settled, every peer live, every member UP, the pool read as the full set. A
 * {@link NetnsZoneWatcher} then watches the RRset for the whole test; after it, the RRset must
 * never have been empty and each change must match one {@code update}/{@code applied} audit entry
 * (its {@code details.desired} = the new set) and bump the epoch record by one.
 */
abstract class FailoverFaultBase {
  static final Logger LOG = LoggerFactory.getLogger("failover-fault");
  static final String EU = FailoverLab.EU;
  static final String US = FailoverLab.US;
  static final String AP = FailoverLab.AP;

  /** Detection (fall × interval + exchange), a write and propagation, with slack: RELIABILITY 7. */
  static final Duration REMOVE_BOUND = Duration.ofSeconds(15);

  /** A member's verdict turns DOWN within fall intervals, a timeout and the mesh exchange. */
  static final long DETECT_MS =
      QuorateCluster.INTERVAL_MS * (QuorateCluster.FALL + 1) + QuorateCluster.HEARTBEAT_MS + 2000;

  /** A bound for waits that should end well before it (a failure names what it waited for). */
  static final Duration LONG = Duration.ofSeconds(45);

  private static final Duration CONVERGE = Duration.ofSeconds(60);

  static FailoverLab f;
  static QuorateCluster cluster;

  NetnsZoneWatcher watcher;
  AuditTrail trail;

  /** New RRsets a killed writer may have written without a surviving audit entry. */
  final List<Set<String>> crashedWrites = new ArrayList<>();

  /** On a failure, the agents' and named's logs go to the test output. */
  @RegisterExtension
  final TestWatcher logsOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          LOG.warn(
              "failover-fault logs after {}:\n{}--- named:\n{}",
              context.getDisplayName(),
              agentLogs(),
              f.bind.logTail());
        }
      };

  @BeforeAll
  static void up(@org.junit.jupiter.api.io.TempDir Path dir) {
    f = FailoverLab.create(dir);
    cluster = f.cluster;
  }

  @AfterAll
  static void down() {
    if (f != null) {
      f.close();
      assertEquals(List.of(), f.lab.leftovers());
    }
  }

  @BeforeEach
  void fresh() {
    cluster.close();
    f.lab.faults().healAll();
    MEMBERS.keySet().stream().filter(m -> !f.memberRunning(m)).forEach(f::startMember);
    f.resetZone();
    cluster.env(FailoverLab.TSIG_ENV, Bind9Lab.TSIG_SECRET);
    cluster.startAll();
    converge(true);
    trail = new AuditTrail(cluster);
    watcher = f.watch();
    watcher.onChange(c -> trail.collect());
  }

  /** Waits until every agent is quorate and settled, sees all peers and every member UP. */
  static void converge(boolean poolRead) {
    try {
      awaitConverged(poolRead);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + agentLogs(), e);
    }
  }

  /** The tail of every agent's log, for failure messages. */
  static String agentLogs() {
    StringBuilder b = new StringBuilder();
    for (String r : REGIONS) {
      if (cluster.started(r)) {
        b.append("--- ").append(r).append(" log:\n");
        b.append(relevant(cluster.agent(r).log())).append('\n');
      }
    }
    return b.toString();
  }

  /** The last 60 log lines about failover, DNS, quorum and verdicts, warnings and errors. */
  private static String relevant(Path log) {
    try (var lines = java.nio.file.Files.lines(log)) {
      List<String> l =
          lines.filter(x -> x.matches(".*(failover|dns\\.|quorum|verdict|WARN|ERROR).*")).toList();
      return String.join("\n", l.subList(Math.max(0, l.size() - 60), l.size()));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private static void awaitConverged(boolean poolRead) {
    for (String r : REGIONS) {
      Poll.until(
          CONVERGE,
          r + " quorate, settled, every peer live",
          () -> regions(api(r)),
          j -> quorate(j) && settled(j) && REGIONS.stream().allMatch(p -> live(j, p)));
      for (String m : MEMBERS.keySet()) {
        Poll.until(
            CONVERGE,
            r + " verdict " + m + " UP",
            () -> PoolContract.verdict(api(r), m),
            v -> "UP".equals(PoolContract.state(v)));
      }
      if (poolRead) {
        Poll.until(
            CONVERGE,
            r + " reads pool www as the full set",
            () -> PoolContract.pool(api(r)),
            p -> FailoverLab.fullSet().equals(PoolContract.actual(p)));
      }
    }
  }

  @AfterEach
  void verifyZoneHistory() {
    if (watcher == null) {
      return;
    }
    watcher.close();
    trail.collect();
    List<Change> changes = watcher.changes();
    LOG.info(
        "failover-fault zone reads={} errors={} changes={}",
        watcher.reads(),
        watcher.errors().size(),
        changes);
    assertEquals(List.of(), watcher.empties(), "the RRset was empty (RELIABILITY.md promise 1)");
    assertTrue(
        watcher.errors().size() <= Math.max(2, watcher.reads() / 50),
        "the watcher could not read the zone too often: " + watcher.errors());
    assertEveryChangeAudited(changes);
    watcher = null;
  }

  /**
   * Every update bumps the epoch record by one and its applied audit entry names the new epoch: so
   * each change the watcher saw (epoch e → e + k) must be backed by applied entries for e + 1 … e +
   * k, none emptying the RRset, the last one's desired = the new RRset; and every applied entry
   * must lie within a change the watcher saw. An epoch without an entry is allowed only for a write
   * the test knows a killed agent made ({@link #crashedWrites}).
   */
  private void assertEveryChangeAudited(List<Change> changes) {
    Map<Long, AuditTrail.Entry> byEpoch = new HashMap<>();
    for (AuditTrail.Entry e : trail.of("update", "applied")) {
      AuditTrail.Entry dup = byEpoch.put(Long.parseLong(e.details().getString("epoch")), e);
      assertNull(dup, "two applied updates claim one epoch: " + dup + " and " + e);
    }
    List<Set<String>> crashed = new ArrayList<>(crashedWrites);
    Set<Long> seen = new HashSet<>();
    for (Change c : changes) {
      long from = c.before().epoch();
      long to = c.after().epoch();
      assertTrue(to > from, "DNS changed without an epoch bump (an unfenced write): " + c);
      for (long ep = from + 1; ep <= to; ep++) {
        seen.add(ep);
        AuditTrail.Entry e = byEpoch.get(ep);
        if (e == null) {
          boolean known = ep == to ? crashed.remove(c.after().values()) : !crashed.isEmpty();
          assertTrue(known, "epoch " + ep + " of " + c + " has no applied update: " + trail.all());
        } else {
          assertFalse(e.desired().isEmpty(), "an applied update emptied the RRset: " + e);
          if (ep == to) {
            assertEquals(c.after().values(), e.desired(), "last update of " + c + ": " + e);
          }
        }
      }
    }
    List<AuditTrail.Entry> unseen =
        byEpoch.entrySet().stream()
            .filter(x -> !seen.contains(x.getKey()))
            .map(x -> x.getValue())
            .toList();
    assertEquals(List.of(), unseen, "applied updates the watcher never saw");
  }

  /** Polls the watcher until the RRset is {@code values}; returns that first observation. */
  Observation awaitRRset(Set<String> values, Duration limit, String what) {
    return Poll.until(
        limit, what + ": RRset " + values, watcher::current, o -> o.values().equals(values));
  }

  /** Fails if the RRset changes during {@code window}. */
  void assertNoChangeFor(Duration window, String what) {
    int before = watcher.changes().size();
    Poll.during(window, what, () -> watcher.changes().size(), n -> n == before);
  }

  static AgentApi api(String region) {
    return cluster.api(region);
  }

  /** Milliseconds since {@code startMs} (wall clock, as the watcher records). */
  static long since(long startMs) {
    return System.currentTimeMillis() - startMs;
  }
}
