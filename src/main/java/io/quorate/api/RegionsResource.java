package io.quorate.api;

import io.quorate.agent.QuorumService;
import io.quorate.agent.QuorumService.GateStatus;
import io.quorate.config.QuorateConfig;
import io.quorate.mesh.PeerStatus;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.Verdict.VoteView;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /regions}: this agent's view of every region — live or not, last seen, round-trip
 * time, clock offset, config hash match, rejected mesh messages — and whether this agent is
 * quorate, settled, and its writer rank. A region whose counting votes disagree with the verdict
 * lists those targets under {@code dissent}: a degraded vantage point, not an outage.
 */
public final class RegionsResource {

  private final Vertx vertx;
  private final QuorateConfig config;
  private final String configHash;
  private final QuorumService quorum;
  private final Supplier<List<PeerStatus>> peers;
  private final Clock clock;

  public RegionsResource(
      Vertx vertx,
      QuorateConfig config,
      String configHash,
      QuorumService quorum,
      Supplier<List<PeerStatus>> peers,
      Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.configHash = configHash;
    this.quorum = quorum;
    this.peers = peers;
    this.clock = clock;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    return r;
  }

  private void list(RoutingContext ctx) {
    Responses.json(ctx, view());
  }

  /** The JSON document (also published as a {@code region} event). */
  public JsonObject view() {
    GateStatus g = quorum.gate();
    Instant now = clock.instant();
    Map<String, PeerStatus> byRegion = new HashMap<>();
    for (PeerStatus p : peers.get()) {
      byRegion.put(p.region(), p);
    }
    Map<String, List<String>> dissent = dissent(quorum.verdicts());
    JsonArray regions = new JsonArray();
    for (String r : config.regions()) {
      boolean self = r.equals(quorum.self());
      JsonObject j =
          new JsonObject()
              .put("region", r)
              .put("self", self)
              .put("live", g.live().contains(r))
              .put("dissent", new JsonArray(dissent.getOrDefault(r, List.of())));
      PeerStatus p = byRegion.get(r);
      if (!self) {
        j.put("configured", p != null);
      }
      if (p != null) {
        j.put("lastSeen", JsonViews.time(p.lastSeen()))
            .put(
                "lastSeenAgoMs",
                p.lastSeen() == null ? null : Duration.between(p.lastSeen(), now).toMillis())
            .put("rttMs", p.rttMs())
            .put("clockOffsetMs", p.clockOffsetMs())
            .put("configMatch", p.configMatch())
            .put("rejected", new JsonObject(new java.util.LinkedHashMap<>(p.rejected())))
            .put("pendingVotes", p.pendingVotes())
            .put("sendFailures", p.sendFailures())
            .put("lastSendError", p.lastSendError())
            .put("leftAt", JsonViews.time(p.leftAt()));
      }
      regions.add(j);
    }
    return new JsonObject()
        .put("self", quorum.self())
        .put("quorate", g.quorate())
        .put("settled", g.settled())
        .put("writerRank", g.rank())
        .put("quorum", config.quorum().size())
        .put("configHash", configHash)
        .put("regions", regions);
  }

  /** Per region, the targets on which its counting vote disagrees with a decided verdict. */
  static Map<String, List<String>> dissent(List<Verdict> verdicts) {
    Map<String, List<String>> out = new HashMap<>();
    for (Verdict v : verdicts) {
      if (v.state() == Status.UNKNOWN) {
        continue;
      }
      for (VoteView vv : v.votes()) {
        if (vv.counts() && disagrees(vv.vote().status(), v.state())) {
          out.computeIfAbsent(vv.region(), k -> new ArrayList<>()).add(v.targetId());
        }
      }
    }
    return out;
  }

  private static boolean disagrees(Status vote, Status verdict) {
    boolean voteDown = vote == Status.DOWN;
    boolean verdictDown = verdict == Status.DOWN;
    return voteDown != verdictDown;
  }
}
