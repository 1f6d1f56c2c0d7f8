package io.quorate.config;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code targets:} list, applying {@code defaults:} and per-type default ports. */
final class TargetReader {
  static final long MAX_INTERVAL_MS = 86_400_000L;
  static final long MAX_FALL_RISE = 100;
  private static final List<String> COMMON_KEYS =
      List.of(
          "id",
          "type",
          "group",
          "address",
          "port",
          "intervalMs",
          "timeoutMs",
          "degradedAboveMs",
          "fall",
          "rise");
  private static final Set<String> KEYS = new HashSet<>(COMMON_KEYS);
  private static final List<String> TYPES =
      Arrays.stream(ProbeType.values()).map(ProbeType::wireName).toList();

  static {
    KEYS.addAll(TYPES);
  }

  private final QuorateConfig.Defaults defaults;
  private final Set<String> groups;
  private final ReadContext ctx;
  private final Map<String, String> ids = new HashMap<>();

  TargetReader(QuorateConfig.Defaults defaults, Set<String> groups, ReadContext ctx) {
    this.defaults = defaults;
    this.groups = groups;
    this.ctx = ctx;
  }

  /** One target; {@code null} when it has any error (all of them recorded). */
  Target read(YamlNode t) {
    int mark = t.errors().count();
    if (!t.mapping(KEYS)) {
      return null;
    }
    String id = Names.id(t.get("id"), "target id", ids);
    ProbeType type = type(t.get("type"));
    String group = group(t.get("group"));
    String address = address(t, type);
    if (address != null && !address.isEmpty() && Names.hostProblem(address) != null) {
      t.get("address").error(Names.hostProblem(address));
    }
    Integer port = port(t, type);
    Long interval = intervalMs(t.get("intervalMs"), defaults.intervalMs());
    Long timeout = timeoutMs(t.get("timeoutMs"), interval, defaults.timeoutMs());
    Long degraded = degradedAboveMs(t.get("degradedAboveMs"), timeout);
    Long fall = t.get("fall").integer(1, MAX_FALL_RISE, (long) defaults.fall());
    Long rise = t.get("rise").integer(1, MAX_FALL_RISE, (long) defaults.rise());
    Check check = check(t, type, port, timeout);
    if (t.errors().since(mark)) {
      return null;
    }
    return new Target(
        id,
        type,
        group,
        address,
        port == null ? 0 : port,
        interval,
        timeout,
        degraded,
        fall.intValue(),
        rise.intValue(),
        check);
  }

  /** {@code intervalMs}: at least {@link Target#MIN_INTERVAL_MS}, at most a day. */
  static Long intervalMs(YamlNode node, long fallback) {
    Long v = node.integer();
    if (v == null) {
      return node.present() ? null : fallback;
    }
    if (v < Target.MIN_INTERVAL_MS) {
      node.error("must be >= " + Target.MIN_INTERVAL_MS);
      return null;
    }
    if (v > MAX_INTERVAL_MS) {
      node.error("must be <= " + MAX_INTERVAL_MS);
      return null;
    }
    return v;
  }

  /** {@code timeoutMs}: positive and less than the interval (when that is valid). */
  static Long timeoutMs(YamlNode node, Long interval, long fallback) {
    Long v = node.integer();
    if (v == null && node.present()) {
      return null;
    }
    if (v != null && v <= 0) {
      node.error("must be > 0");
      return null;
    }
    long timeout = v == null ? fallback : v;
    if (interval != null && timeout >= interval) {
      String what = v == null ? "inherited value " + timeout + " " : "";
      node.error(what + "must be < intervalMs (" + interval + ")");
      return null;
    }
    return timeout;
  }

  private static Long degradedAboveMs(YamlNode node, Long timeout) {
    Long v = node.integer();
    if (v == null) {
      return null;
    }
    if (v <= 0) {
      node.error("must be > 0");
    } else if (timeout != null && v >= timeout) {
      node.error("must be < timeoutMs (" + timeout + ")");
    }
    return v;
  }

  /** Required except for a heartbeat target, which is never connected to (it has none). */
  private static String address(YamlNode t, ProbeType type) {
    YamlNode node = t.get("address");
    if (type != ProbeType.HEARTBEAT) {
      return node.requiredString();
    }
    if (node.present()) {
      node.error("not allowed for type heartbeat");
    }
    if (t.get("port").present()) {
      t.get("port").error("not allowed for type heartbeat");
    }
    return "";
  }

  private static ProbeType type(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    ProbeType type = ProbeType.parse(s);
    if (type == null) {
      node.error("must be one of " + TYPES);
    }
    return type;
  }

  private String group(YamlNode node) {
    String g = node.nonEmptyString();
    if (g != null && !groups.contains(g)) {
      node.error("unknown group \"" + g + "\"");
    }
    return g;
  }

  /** The explicit port, else the conventional one for the type (tcp has none). */
  private static Integer port(YamlNode t, ProbeType type) {
    YamlNode node = t.get("port");
    Long explicit = node.integer(1, 65_535, null);
    if (explicit != null || node.present() || type == null) {
      return explicit == null ? null : explicit.intValue();
    }
    YamlNode block = t.get(type.wireName());
    boolean implicit = "implicit".equals(block.get("tlsMode").peekString());
    Integer port =
        switch (type) {
          case DNS -> 53;
          case HTTP -> Boolean.TRUE.equals(block.get("https").peekBoolean()) ? 443 : 80;
          case TLS -> 443;
          case SMTP -> implicit ? 465 : 25;
          case IMAP -> implicit ? 993 : 143;
          case POP3 -> implicit ? 995 : 110;
          case TCP, HEARTBEAT -> null;
            // RFC 6409 submission (RFC 8314 §3.3: 465 for implicit TLS)
          case MAILFLOW ->
              "implicit".equals(block.get("smtp").get("tlsMode").peekString()) ? 465 : 587;
        };
    if (port == null && type != ProbeType.HEARTBEAT) {
      node.error("required");
    }
    return port;
  }

  private Check check(YamlNode t, ProbeType type, Integer port, Long timeout) {
    if (type == null) {
      return null;
    }
    for (ProbeType other : ProbeType.values()) {
      YamlNode block = t.get(other.wireName());
      if (other != type && block.present()) {
        block.error("does not match type " + type.wireName());
      }
    }
    YamlNode block = t.get(type.wireName());
    int p = port == null ? 0 : port;
    return switch (type) {
      case DNS -> DnsCheckReader.read(block);
      case HTTP -> HttpCheckReader.read(block, ctx);
      case TCP -> StreamCheckReader.tcp(block, ctx);
      case TLS -> StreamCheckReader.tls(block, ctx);
      case SMTP -> StreamCheckReader.smtp(block, p, ctx);
      case IMAP -> StreamCheckReader.imap(block, p, ctx);
      case POP3 -> StreamCheckReader.pop3(block, p, ctx);
      case MAILFLOW -> MailflowCheckReader.read(block, p, timeout, ctx);
      case HEARTBEAT -> HeartbeatCheckReader.read(block, ctx);
    };
  }
}
