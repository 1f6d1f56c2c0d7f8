package io.quorate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the shared file's {@code pools:} list; zones and targets must be read first. */
final class PoolReader {
  static final Set<String> KEYS =
      Set.of(
          "id",
          "zone",
          "name",
          "type",
          "ttl",
          "members",
          "minMembers",
          "maxChangesPerWindow",
          "windowMs",
          "holdDownMs",
          "flapChanges",
          "flapWindowMs",
          "failback",
          "degradedIsUp",
          "dryRun");
  private static final Set<String> MEMBER_KEYS = Set.of("id", "value", "target", "role", "drained");
  static final long DEFAULT_TTL = 60;

  /** One week: the longest TTL worth publishing for a name that fails over. */
  static final long MAX_TTL = 604_800;

  static final long MAX_WINDOW_MS = 604_800_000L;
  private static final List<String> FAILBACKS = List.of("auto", "manual");
  private static final List<String> ROLES = List.of("primary", "backup");

  private final Set<String> zones;
  private final Set<String> targets;
  private final Map<String, String> ids = new HashMap<>();

  /** Owner name → the pools managing it so far. */
  private final Map<String, List<Managed>> managed = new HashMap<>();

  /**
   * @param zones every valid configured zone name
   * @param targets every valid configured target id
   */
  PoolReader(Set<String> zones, Set<String> targets) {
    this.zones = zones;
    this.targets = targets;
  }

  /** Every pool of {@code list} without errors (all errors recorded). */
  List<Pool> read(YamlNode list) {
    List<Pool> out = new ArrayList<>();
    for (YamlNode p : list.itemsOrEmpty()) {
      Pool pool = pool(p);
      if (pool != null) {
        out.add(pool);
      }
    }
    return out;
  }

  private Pool pool(YamlNode p) {
    int mark = p.errors().count();
    if (!p.mapping(KEYS)) {
      return null;
    }
    String id = Names.id(p.get("id"), "pool id", ids);
    String zone = zone(p.get("zone"));
    String type = type(p.get("type"));
    String name = name(p.get("name"), zone, type, id);
    Long ttl = p.get("ttl").integer(0, MAX_TTL, DEFAULT_TTL);
    List<Pool.Member> members = new MemberReader(type).read(p.get("members"));
    Integer min = minMembers(p.get("minMembers"), type, members);
    Long maxChanges =
        p.get("maxChangesPerWindow").integer(1, 10_000, (long) Pool.DEFAULT_MAX_CHANGES_PER_WINDOW);
    Long window = p.get("windowMs").integer(1_000, MAX_WINDOW_MS, Pool.DEFAULT_WINDOW_MS);
    Long holdDown = p.get("holdDownMs").integer(0, 86_400_000, Pool.DEFAULT_HOLD_DOWN_MS);
    Long flap = p.get("flapChanges").integer(2, 10_000, (long) Pool.DEFAULT_FLAP_CHANGES);
    Long flapWindow =
        p.get("flapWindowMs").integer(1_000, MAX_WINDOW_MS, Pool.DEFAULT_FLAP_WINDOW_MS);
    String failback = oneOf(p.get("failback"), FAILBACKS, "auto");
    Boolean degradedIsUp = p.get("degradedIsUp").bool(true);
    Boolean dryRun = p.get("dryRun").bool(false);
    if (p.errors().since(mark)) {
      return null;
    }
    return new Pool(
        id,
        zone,
        name,
        type,
        ttl,
        members,
        min,
        maxChanges.intValue(),
        window,
        holdDown,
        flap.intValue(),
        flapWindow,
        Pool.Failback.valueOf(failback.toUpperCase(Locale.ROOT)),
        degradedIsUp,
        dryRun);
  }

  private String zone(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    String zone = Names.normalName(s);
    if (!zones.contains(zone)) {
      node.error("unknown zone \"" + zone + "\"");
      return null;
    }
    return zone;
  }

  private static String type(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    String type = s.toUpperCase(Locale.ROOT);
    if (!RecordValues.TYPES.contains(type)) {
      node.error("must be one of " + RecordValues.TYPES);
      return null;
    }
    return type;
  }

  /** The owner name: inside its zone, managed by no other pool with a conflicting type. */
  private String name(YamlNode node, String zone, String type, String poolId) {
    String s = DnsCheckReader.dnsName(node, true);
    if (s == null) {
      return null;
    }
    String name = Names.normalName(s);
    if (zone != null && !Names.inZone(name, zone)) {
      node.error("\"" + name + "\" is not inside zone \"" + zone + "\"");
      return null;
    }
    if ("CNAME".equals(type) && name.equals(zone)) {
      node.error("a CNAME cannot be at the zone apex (RFC 1034 §3.6.2)");
      return null;
    }
    if (type != null) {
      checkConflicts(node, name, type, poolId);
    }
    return name;
  }

  private void checkConflicts(YamlNode node, String name, String type, String poolId) {
    List<Managed> here = managed.computeIfAbsent(name, k -> new ArrayList<>());
    for (Managed m : here) {
      String other = "pool \"" + m.poolId() + "\" (" + m.path() + ")";
      if (m.type().equals(type)) {
        node.error("\"" + name + "\" type " + type + " is already managed by " + other);
        return;
      }
      if (m.type().equals("CNAME") || type.equals("CNAME")) {
        node.error(
            "\""
                + name
                + "\" already has type "
                + m.type()
                + " from "
                + other
                + "; a CNAME cannot coexist with other data (RFC 1034 §3.6.2)");
        return;
      }
    }
    String path = node.path().substring(0, node.path().length() - ".name".length());
    here.add(new Managed(type, poolId == null ? "?" : poolId, path));
  }

  private static Integer minMembers(YamlNode node, String type, List<Pool.Member> members) {
    Long v = node.integer(1, 1_000, (long) Pool.DEFAULT_MIN_MEMBERS);
    if (v == null || !node.present()) {
      return v == null ? null : v.intValue();
    }
    if ("CNAME".equals(type) && v != 1) {
      node.error("must be 1 for type CNAME (a CNAME is a single record)");
      return null;
    }
    if (members != null && v > members.size()) {
      node.error("must be at most the number of members (" + members.size() + ")");
      return null;
    }
    return v.intValue();
  }

  static String oneOf(YamlNode node, List<String> allowed, String fallback) {
    String s = node.nonEmptyString();
    if (s == null) {
      return node.present() ? null : fallback;
    }
    if (!allowed.contains(s)) {
      node.error("must be one of " + allowed);
      return null;
    }
    return s;
  }

  private record Managed(String type, String poolId, String path) {}

  /** Reads one pool's {@code members:} list. */
  private final class MemberReader {
    private final String type;
    private final Map<String, String> memberIds = new HashMap<>();
    private final Map<String, String> values = new HashMap<>();

    MemberReader(String type) {
      this.type = type;
    }

    /** The members; {@code null} when the list is absent, empty or has any error. */
    List<Pool.Member> read(YamlNode node) {
      int mark = node.errors().count();
      if (!node.requirePresent()) {
        return null;
      }
      List<YamlNode> items = node.items();
      if (items != null && items.isEmpty()) {
        node.error("must not be empty");
      }
      List<Pool.Member> out = new ArrayList<>();
      for (YamlNode m : items == null ? List.<YamlNode>of() : items) {
        Pool.Member member = member(m);
        if (member != null) {
          out.add(member);
        }
      }
      if (node.errors().since(mark)) {
        return null;
      }
      if (out.stream().noneMatch(m -> m.role() == Pool.Role.PRIMARY)) {
        node.error("needs at least one member with role primary");
        return null;
      }
      return out;
    }

    private Pool.Member member(YamlNode m) {
      int mark = m.errors().count();
      if (!m.mapping(MEMBER_KEYS)) {
        return null;
      }
      String id = Names.id(m.get("id"), "member id", memberIds);
      String value = value(m.get("value"));
      String target = m.get("target").requiredString();
      if (target != null && !targets.contains(target)) {
        m.get("target").error("unknown target \"" + target + "\"");
      }
      String role = oneOf(m.get("role"), ROLES, "primary");
      Boolean drained = m.get("drained").bool(false);
      if (m.errors().since(mark)) {
        return null;
      }
      Pool.Role r = Pool.Role.valueOf(role.toUpperCase(Locale.ROOT));
      return new Pool.Member(id, value, target, r, drained);
    }

    private String value(YamlNode node) {
      String s = node.requiredString();
      if (s == null || type == null) {
        return null;
      }
      String problem = RecordValues.problem(type, s);
      if (problem != null) {
        node.error(problem);
        return null;
      }
      String value = RecordValues.canonical(type, s);
      Names.unique(node, "value", value, values);
      return value;
    }
  }
}
