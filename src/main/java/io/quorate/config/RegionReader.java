package io.quorate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads one region's file ({@code regions/<id>.yaml}). */
final class RegionReader {
  static final Set<String> KEYS =
      Set.of(
          "region", "listen", "dataDir", "tokens", "scheduler", "mesh", "authoritative", "store");
  private static final Set<String> LISTEN_KEYS = Set.of("host", "port");
  private static final Set<String> TOKEN_KEYS = Set.of("name", "token", "scopes");
  private static final Set<String> SCHEDULER_KEYS =
      Set.of(
          "maxConcurrentProbes", "jitterPercent", "observationsPerTarget", "observationsMemoryMB");
  private static final List<String> SCOPES = List.of("read", "operate");

  /** A bearer token shorter than this is too easy to guess. */
  static final int MIN_TOKEN_LENGTH = 16;

  private RegionReader() {}

  /**
   * @param regions the shared file's region ids, or {@code null} when unknown (not checked)
   */
  static RegionConfig read(YamlNode root, List<String> regions, ReadContext ctx) {
    int mark = root.errors().count();
    root.mapping(KEYS);
    String region = region(root.get("region"), regions);
    RegionConfig.Listen listen = listen(root.get("listen"));
    String dir = root.get("dataDir").requiredString();
    List<RegionConfig.ApiToken> tokens = tokens(root.get("tokens"), ctx);
    RegionConfig.Scheduler scheduler = scheduler(root.get("scheduler"));
    RegionConfig.Mesh mesh = MeshReader.read(root.get("mesh"), region, regions, ctx);
    RegionConfig.Listen authoritative = authoritative(root.get("authoritative"));
    RegionConfig.Store store = StoreReader.read(root.get("store"));
    Path dataDir = null;
    try {
      dataDir = dir == null ? null : ctx.resolve(dir);
    } catch (java.nio.file.InvalidPathException e) {
      root.get("dataDir").error("invalid path: " + e.getReason());
    }
    if (root.errors().since(mark)) {
      return null;
    }
    return new RegionConfig(region, listen, dataDir, tokens, scheduler, mesh, authoritative, store);
  }

  /** Where the embedded authoritative DNS server listens (UDP and TCP); {@code null} if absent. */
  private static RegionConfig.Listen authoritative(YamlNode node) {
    if (!node.present() || !node.mapping(LISTEN_KEYS)) {
      return null;
    }
    String host = TlsPolicyReader.host(node.get("host"));
    if (!node.get("port").present()) {
      node.get("port").error("required (53 in production; a high port needs no privileges)");
      return null;
    }
    Long port = node.get("port").integer(1, 65_535, null);
    String h = host == null ? RegionConfig.Listen.DEFAULT_HOST : host;
    return port == null ? null : new RegionConfig.Listen(h, port.intValue());
  }

  private static String region(YamlNode node, List<String> regions) {
    String id = Names.id(node, "region", new HashMap<>());
    if (id != null && regions != null && !regions.contains(id)) {
      node.error("\"" + id + "\" is not in the shared regions list " + regions);
    }
    return id;
  }

  private static RegionConfig.Listen listen(YamlNode node) {
    node.mapping(LISTEN_KEYS);
    String host = TlsPolicyReader.host(node.get("host"));
    Long port = node.get("port").integer(1, 65_535, (long) RegionConfig.Listen.DEFAULT_PORT);
    String h = host == null ? RegionConfig.Listen.DEFAULT_HOST : host;
    return port == null ? null : new RegionConfig.Listen(h, port.intValue());
  }

  private static List<RegionConfig.ApiToken> tokens(YamlNode node, ReadContext ctx) {
    List<RegionConfig.ApiToken> out = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> values = new HashMap<>();
    for (YamlNode t : node.itemsOrEmpty()) {
      if (!t.mapping(TOKEN_KEYS)) {
        continue;
      }
      String name = Names.id(t.get("name"), "token name", names);
      Secret token = ctx.secret(t.get("token"));
      if (token != null && token.reveal().length() < MIN_TOKEN_LENGTH) {
        t.get("token").error("must be at least " + MIN_TOKEN_LENGTH + " characters");
        token = null;
      }
      if (token != null) {
        // Keyed by value so the same secret under two names is caught; the value is never shown.
        String first = values.putIfAbsent(token.reveal(), t.get("token").path());
        if (first != null) {
          t.get("token").error("same value as " + first);
        }
      }
      Set<RegionConfig.Scope> scopes = scopes(t.get("scopes"));
      if (name != null && token != null && scopes != null) {
        out.add(new RegionConfig.ApiToken(name, token, scopes));
      }
    }
    return out;
  }

  private static Set<RegionConfig.Scope> scopes(YamlNode node) {
    if (!node.requirePresent()) {
      return null;
    }
    List<YamlNode> items = node.items();
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      node.error("must not be empty");
      return null;
    }
    Set<RegionConfig.Scope> scopes = EnumSet.noneOf(RegionConfig.Scope.class);
    for (YamlNode item : items) {
      String s = item.string();
      if (s == null) {
        continue;
      }
      RegionConfig.Scope scope = scope(s);
      if (scope == null) {
        item.error("must be one of " + SCOPES);
      } else if (!scopes.add(scope)) {
        item.error("duplicate scope \"" + s + "\"");
      }
    }
    return scopes;
  }

  private static RegionConfig.Scope scope(String s) {
    for (RegionConfig.Scope scope : RegionConfig.Scope.values()) {
      if (scope.wireName().equals(s)) {
        return scope;
      }
    }
    return null;
  }

  private static RegionConfig.Scheduler scheduler(YamlNode node) {
    node.mapping(SCHEDULER_KEYS);
    Long max =
        node.get("maxConcurrentProbes")
            .integer(1, 100_000, (long) RegionConfig.Scheduler.DEFAULT_MAX_CONCURRENT);
    Long jitter =
        node.get("jitterPercent")
            .integer(0, 50, (long) RegionConfig.Scheduler.DEFAULT_JITTER_PERCENT);
    Long kept =
        node.get("observationsPerTarget")
            .integer(1, 10_000, (long) RegionConfig.Scheduler.DEFAULT_OBSERVATIONS_PER_TARGET);
    Long budget =
        node.get("observationsMemoryMB")
            .integer(1, 4096, (long) RegionConfig.Scheduler.DEFAULT_OBSERVATIONS_MEMORY_MB);
    if (max == null || jitter == null || kept == null || budget == null) {
      return null;
    }
    return new RegionConfig.Scheduler(
        max.intValue(), jitter.intValue(), kept.intValue(), budget.intValue());
  }
}
