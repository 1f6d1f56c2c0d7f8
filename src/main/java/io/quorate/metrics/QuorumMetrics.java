package io.quorate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.quorate.agent.QuorumService;
import io.quorate.config.QuorateConfig;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import java.util.Locale;

/**
 * Quorum meters, computed from {@link QuorumService} snapshots at scrape time: verdict state per
 * target (a state set), how many targets each region votes UP/DOWN/… (region × state, not target ×
 * region, to keep cardinality flat), quorate/settled/writer rank, and verdict transitions.
 */
public final class QuorumMetrics {
  private final MeterRegistry registry;
  private final String region;
  private final TransitionCounts transitions;

  public QuorumMetrics(
      MeterRegistry registry, String region, QuorateConfig config, QuorumService quorum) {
    this.registry = registry;
    this.region = region;
    this.transitions = TransitionCounts.register(registry, region);
    // the current targets at each scrape: a reload adds and removes series (ADR 0017)
    StateGauges.register(
        registry,
        "quorate_verdict_state",
        "1 for the target's current quorum verdict, else 0",
        out -> {
          for (Verdict v : quorum.verdicts()) {
            out.accept(Labels.of("region", region, "target", v.targetId()), v.state());
          }
        });
    for (String r : config.regions()) {
      for (Status s : Status.values()) {
        Gauge.builder("quorate.region.votes", quorum, q -> countVotes(q, r, s))
            .description("Targets on which the region's fresh, counted vote is this state")
            .tags("region", region, "voter", r, "state", name(s))
            .register(registry);
      }
    }
    Gauge.builder("quorate.quorate", quorum, q -> q.gate().quorate() ? 1 : 0)
        .description("1 while this agent has fresh heartbeats from a quorum of regions")
        .tag("region", region)
        .register(registry);
    Gauge.builder("quorate.settled", quorum, q -> q.gate().settled() ? 1 : 0)
        .description("1 once the settle period is over")
        .tag("region", region)
        .register(registry);
    Gauge.builder("quorate.writer.rank", quorum, q -> q.gate().rank())
        .description("This agent's writer rank among live regions (-1: not quorate)")
        .tag("region", region)
        .register(registry);
  }

  private static double countVotes(QuorumService q, String voter, Status s) {
    int n = 0;
    for (Verdict v : q.verdicts()) {
      for (Verdict.VoteView vv : v.votes()) {
        if (vv.region().equals(voter) && vv.counts() && vv.vote().status() == s) {
          n++;
        }
      }
    }
    return n;
  }

  public void transition(VerdictChange c) {
    transitions.count(c.after().targetId(), c.after().state());
  }

  /** Forgets a target a reload removed or changed (its transition series). */
  public void forget(String targetId) {
    transitions.forget(targetId);
  }

  private static String name(Status s) {
    return s.name().toLowerCase(Locale.ROOT);
  }
}
