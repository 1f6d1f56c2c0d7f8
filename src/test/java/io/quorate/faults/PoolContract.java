package io.quorate.faults;

import io.quorate.testsupport.AgentApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads of the issue 4 REST contract ({@code /api/v1/pools/{id}}, {@code /api/v1/audit}, member
 * verdicts) for the failover fault tests. A 404 on the audit or on a pool means the build has no
 * failover wiring, which no amount of polling fixes: it fails at once, as an {@link
 * AssertionError}.
 */
final class PoolContract {
  private PoolContract() {}

  /** {@code GET /api/v1/pools/www}. */
  static JsonObject pool(AgentApi api) {
    return served(api, "/api/v1/pools/" + FailoverLab.POOL, () -> api.pool(FailoverLab.POOL));
  }

  /** {@code GET /api/v1/audit?pool=www&limit=}. */
  static JsonObject audit(AgentApi api, int limit) {
    return served(api, "/api/v1/audit", () -> api.audit(FailoverLab.POOL, limit));
  }

  /** {@code GET /api/v1/verdicts/{member}} (each member's target id is its member id). */
  static JsonObject verdict(AgentApi api, String member) {
    return served(api, "/api/v1/verdicts/" + member, () -> api.verdict(member));
  }

  private static JsonObject served(AgentApi api, String path, Supplier<JsonObject> read) {
    try {
      return read.get();
    } catch (AgentApi.ApiException e) {
      if (e.status() == 404) {
        throw new AssertionError(
            api.region() + " serves no " + path + " (404): the failover wiring is not here", e);
      }
      throw e;
    }
  }

  /** The pool's {@code actual.values} (what the agent last read from the primary). */
  static Set<String> actual(JsonObject pool) {
    return AuditTrail.values(pool.getJsonObject("actual"));
  }

  static boolean frozen(JsonObject pool) {
    return Boolean.TRUE.equals(pool.getBoolean("frozen"));
  }

  static String lastError(JsonObject pool) {
    return pool.getString("lastError");
  }

  static List<String> reasons(JsonObject pool) {
    JsonArray r = pool.getJsonArray("reasons");
    List<String> out = new ArrayList<>();
    for (int i = 0; r != null && i < r.size(); i++) {
      out.add(r.getString(i));
    }
    return out;
  }

  /** Whether any reason reports failing open (the planner's {@code "fail open: "} lines). */
  static boolean failsOpen(List<String> reasons) {
    return reasons.stream()
        .anyMatch(r -> r.toLowerCase(java.util.Locale.ROOT).matches("(?s).*fail[- ]?open.*"));
  }

  static String state(JsonObject verdict) {
    return verdict.getString("state");
  }
}
