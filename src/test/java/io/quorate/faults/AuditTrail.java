package io.quorate.faults;

import io.quorate.testsupport.AgentApi;
import io.quorate.testsupport.QuorateCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The union of the pool's audit entries ({@code GET /api/v1/audit}, issue 4 contract) seen on every
 * agent over a scenario. Agents keep their audit log in memory, so a killed agent's entries survive
 * only if collected before the kill: collect on every DNS change the watcher sees and at the end.
 * Entries are keyed by agent process and id, so a restarted agent's ids never collide.
 */
final class AuditTrail {
  private static final int LIMIT = 1000;

  /** One entry, with the region and agent PID that served it. */
  record Entry(String region, long pid, JsonObject json) {
    String action() {
      return json.getString("action");
    }

    String outcome() {
      return json.getString("outcome");
    }

    String actor() {
      return json.getString("actor");
    }

    long atMs() {
      return Instant.parse(json.getString("at")).toEpochMilli();
    }

    boolean is(String action, String outcome) {
      return action.equals(action()) && (outcome == null || outcome.equals(outcome()));
    }

    JsonObject details() {
      JsonObject d = json.getJsonObject("details");
      return d == null ? new JsonObject() : d;
    }

    /** {@code details.desired} as a set of values (the executor writes {@code "[a, b]"}). */
    Set<String> desired() {
      return values(details().getValue("desired"));
    }

    List<String> reasons() {
      JsonArray r = json.getJsonArray("reasons");
      List<String> out = new ArrayList<>();
      for (int i = 0; r != null && i < r.size(); i++) {
        out.add(r.getString(i));
      }
      return out;
    }

    @Override
    public String toString() {
      return region + "#" + json.getLong("id") + " " + json.encode();
    }
  }

  private final QuorateCluster cluster;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  AuditTrail(QuorateCluster cluster) {
    this.cluster = cluster;
  }

  /** Reads every running agent's audit of the pool; an agent that does not answer is skipped. */
  void collect() {
    for (String r : cluster.regions()) {
      if (!cluster.isRunning(r)) {
        continue;
      }
      long pid = cluster.agent(r).pid();
      JsonObject page;
      try {
        page = PoolContract.audit(cluster.api(r), LIMIT);
      } catch (AgentApi.ApiException e) {
        continue; // stopped, cut or dying: its entries were collected before, or are lost
      }
      JsonArray list = page.getJsonArray("entries");
      synchronized (this) {
        for (int i = 0; i < list.size(); i++) {
          JsonObject e = list.getJsonObject(i);
          entries.putIfAbsent(r + "/" + pid + "/" + e.getLong("id"), new Entry(r, pid, e));
        }
      }
    }
  }

  /** Collects, then returns every entry seen, oldest first per agent. */
  synchronized List<Entry> all() {
    List<Entry> out = new ArrayList<>(entries.values());
    out.sort((a, b) -> Long.compare(a.atMs(), b.atMs()));
    return out;
  }

  /** Entries with {@code action} and {@code outcome} (any outcome when null). */
  List<Entry> of(String action, String outcome) {
    return all().stream().filter(e -> e.is(action, outcome)).toList();
  }

  /** As {@link #of}, only those served by {@code region}'s agents. */
  List<Entry> of(String region, String action, String outcome) {
    return of(action, outcome).stream().filter(e -> e.region().equals(region)).toList();
  }

  /** Applied updates whose desired RRset is {@code values}. */
  List<Entry> applied(Set<String> values) {
    return of("update", "applied").stream().filter(e -> e.desired().equals(values)).toList();
  }

  /** A set of values from a JSON array, an RRset object ({@code values}) or {@code "[a, b]"}. */
  static Set<String> values(Object o) {
    Set<String> out = new TreeSet<>();
    if (o instanceof JsonObject j) {
      return values(j.getValue("values"));
    } else if (o instanceof JsonArray a) {
      a.forEach(v -> out.add(String.valueOf(v)));
    } else if (o instanceof String s) {
      String inner = s.strip().replaceAll("^\\[|\\]$", "");
      Arrays.stream(inner.split(","))
          .map(String::strip)
          .filter(v -> !v.isEmpty())
          .forEach(out::add);
    }
    return out;
  }
}
