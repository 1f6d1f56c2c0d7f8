package io.quorate.api;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.maintenance.Occurrence;
import io.quorate.quorum.QuorumEngine;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.Verdict.VoteView;
import io.quorate.quorum.Vote;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** JSON shapes of verdicts and votes. */
public final class VerdictViews {
  private VerdictViews() {}

  /** The summary used by lists, events and the detail view. */
  public static JsonObject summary(Verdict v) {
    int up = 0;
    int down = 0;
    int degraded = 0;
    int unknown = 0;
    int stale = 0;
    int abstained = 0;
    for (VoteView vv : v.votes()) {
      if (vv.vote() == null || !vv.fresh()) {
        stale++;
      } else if (vv.abstained()) {
        abstained++;
      } else {
        switch (vv.vote().status()) {
          case UP -> up++;
          case DOWN -> down++;
          case DEGRADED -> degraded++;
          default -> unknown++;
        }
      }
    }
    return new JsonObject()
        .put("targetId", v.targetId())
        .put("state", v.state().name())
        .put("since", JsonViews.time(v.since()))
        .put("transition", v.transition())
        .put("contested", v.contested())
        .put("quorum", v.quorum())
        .put(
            "counts",
            new JsonObject()
                .put("up", up)
                .put("down", down)
                .put("degraded", degraded)
                .put("unknown", unknown)
                .put("stale", stale)
                .put("abstained", abstained));
  }

  /**
   * The verdict as shown: inside a maintenance occurrence ({@code o} not {@code null}) its state is
   * MAINTENANCE, with the engine's state as {@code underlying} and the window (ADR 0014).
   */
  public static JsonObject shown(Verdict v, Occurrence o) {
    JsonObject j = summary(v);
    if (o == null) {
      return j;
    }
    return j.put("state", Status.MAINTENANCE.name())
        .put("underlying", v.state().name())
        .put(
            "maintenance",
            new JsonObject()
                .put("id", o.window().id())
                .put("title", o.window().title())
                .put("start", JsonViews.time(o.start()))
                .put("end", JsonViews.time(o.end())));
  }

  /** The full view: every region's vote, the rule, and the detection bound. */
  public static JsonObject detail(Verdict v, Target t, QuorateConfig cfg, Instant now) {
    JsonArray votes = new JsonArray();
    for (VoteView vv : v.votes()) {
      votes.add(vote(vv, now));
    }
    return summary(v)
        .put("votes", votes)
        .put(
            "rule",
            new JsonObject()
                .put("quorum", v.quorum())
                .put("regions", cfg.regions().size())
                .put("freshnessMs", cfg.quorum().freshnessMs(t.intervalMs())))
        .put("detectionBoundMs", QuorumEngine.detectionBoundMs(t, cfg.quorum()));
  }

  static JsonObject vote(VoteView vv, Instant now) {
    JsonObject j =
        new JsonObject()
            .put("region", vv.region())
            .put("fresh", vv.fresh())
            .put("abstained", vv.abstained());
    Vote vote = vv.vote();
    if (vote == null) {
      return j.put("vote", null);
    }
    return j.put("vote", vote.status().name())
        .put("ageMs", Duration.between(vote.receivedAt(), now).toMillis())
        .put("since", JsonViews.time(vote.since()))
        .put("obsSeq", vote.obsSeq())
        .put("outcome", vote.outcome().name())
        .put("errorKind", vote.errorKind() == null ? null : vote.errorKind().wireName())
        .put("detail", vote.detail());
  }

  /** Parses a {@code ?state=} filter, or a 400 problem. */
  static Status state(String s) {
    try {
      return Status.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(
          "query parameter 'state' must be one of UP, DOWN, DEGRADED, UNKNOWN, MAINTENANCE");
    }
  }
}
