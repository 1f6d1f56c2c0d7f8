package io.quorate.agent;

import io.quorate.config.ConfigDiff;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What a live reload applied (ADR 0017).
 *
 * @param at when it was applied
 * @param previousHash the shared-config hash before
 * @param hash the shared-config hash now (what the mesh sends from now on)
 * @param diff targets, pools, alert channels, SLOs and configured maintenance windows added,
 *     changed, removed and unchanged
 */
public record ReloadReport(Instant at, String previousHash, String hash, ConfigDiff diff) {

  /** The API's JSON body. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("at", at.toString())
        .put("previousConfigHash", previousHash)
        .put("configHash", hash)
        .put("targets", json(diff.targets()))
        .put("pools", json(diff.pools()))
        .put("channels", json(diff.channels()))
        .put("slos", json(diff.slos()))
        .put("maintenance", json(diff.windows()));
  }

  private static JsonObject json(ConfigDiff.Changes c) {
    return new JsonObject()
        .put("added", new JsonArray(c.added()))
        .put("changed", new JsonArray(c.changed()))
        .put("removed", new JsonArray(c.removed()))
        .put("unchanged", c.unchanged().size());
  }
}
