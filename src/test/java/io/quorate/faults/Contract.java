package io.quorate.faults;

import io.quorate.testsupport.AgentApi;
import io.quorate.testsupport.QuorateCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads of the issue 3 REST contract ({@code /api/v1/regions}, {@code /api/v1/verdicts/{id}}) for
 * the fault tests. A 404 means the build has no such endpoint (the mesh and quorum wiring is
 * missing), which no amount of polling fixes: it fails at once, as an {@link AssertionError}.
 */
final class Contract {
  private Contract() {}

  /** {@code GET /api/v1/regions} of {@code api}'s agent. */
  static JsonObject regions(AgentApi api) {
    return served(api, "/api/v1/regions", api::regions);
  }

  /** {@code GET /api/v1/verdicts/web} of {@code api}'s agent. */
  static JsonObject verdict(AgentApi api) {
    String id = QuorateCluster.TARGET_ID;
    return served(api, "/api/v1/verdicts/" + id, () -> api.verdict(id));
  }

  private static JsonObject served(AgentApi api, String path, Supplier<JsonObject> read) {
    try {
      return read.get();
    } catch (AgentApi.ApiException e) {
      if (e.status() == 404) {
        throw new AssertionError(
            api.region()
                + " serves no "
                + path
                + " (404): the issue 3 mesh + quorum wiring is not in this build",
            e);
      }
      throw e;
    }
  }

  /** The entry for {@code region} in a {@code /api/v1/regions} answer. */
  static JsonObject entry(JsonObject regions, String region) {
    JsonArray all = regions.getJsonArray("regions");
    for (int i = 0; i < all.size(); i++) {
      if (region.equals(all.getJsonObject(i).getString("region"))) {
        return all.getJsonObject(i);
      }
    }
    throw new AssertionError("no region " + region + " in " + regions.encode());
  }

  static boolean quorate(JsonObject regions) {
    return Boolean.TRUE.equals(regions.getBoolean("quorate"));
  }

  static boolean settled(JsonObject regions) {
    return Boolean.TRUE.equals(regions.getBoolean("settled"));
  }

  static int writerRank(JsonObject regions) {
    return regions.getInteger("writerRank");
  }

  static boolean live(JsonObject regions, String region) {
    return Boolean.TRUE.equals(entry(regions, region).getBoolean("live"));
  }

  static List<String> dissent(JsonObject regions, String region) {
    JsonArray d = entry(regions, region).getJsonArray("dissent");
    List<String> ids = new ArrayList<>();
    for (int i = 0; d != null && i < d.size(); i++) {
      ids.add(d.getString(i));
    }
    return ids;
  }

  /** Refusals of {@code region}'s messages counted for {@code reason} (0 when absent). */
  static long rejected(JsonObject regions, String region, String reason) {
    JsonObject r = entry(regions, region).getJsonObject("rejected");
    return r == null || r.getLong(reason) == null ? 0 : r.getLong(reason);
  }

  /** When {@code region}'s last valid message arrived, in epoch ms (the observer's clock). */
  static long lastSeenMs(JsonObject regions, String region) {
    String s = entry(regions, region).getString("lastSeen");
    return s == null ? Long.MIN_VALUE : Instant.parse(s).toEpochMilli();
  }

  static String state(JsonObject verdict) {
    return verdict.getString("state");
  }

  static long transition(JsonObject verdict) {
    return verdict.getLong("transition");
  }

  /** {@code region}'s vote in a {@code /api/v1/verdicts/{id}} answer. */
  static JsonObject vote(JsonObject verdict, String region) {
    JsonArray votes = verdict.getJsonArray("votes");
    for (int i = 0; i < votes.size(); i++) {
      if (region.equals(votes.getJsonObject(i).getString("region"))) {
        return votes.getJsonObject(i);
      }
    }
    throw new AssertionError("no vote of " + region + " in " + verdict.encode());
  }

  /** Fails at once (ends any poll) if a verdict that must never be DOWN is DOWN. */
  static JsonObject neverDown(JsonObject verdict, String who) {
    if ("DOWN".equals(state(verdict))) {
      throw new AssertionError(who + " reached a DOWN verdict: " + verdict.encode());
    }
    return verdict;
  }
}
