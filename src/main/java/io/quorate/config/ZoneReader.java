package io.quorate.config;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the shared file's {@code zones:} list (RFC 2136 primaries and their TSIG keys). */
final class ZoneReader {
  static final Set<String> KEYS =
      Set.of(
          "zone",
          "primary",
          "tsig",
          "servers",
          "epochRecord",
          "propagationTimeoutMs",
          "updateTimeoutMs",
          "provider",
          "embedded");
  private static final Set<String> TSIG_KEYS = Set.of("name", "algorithm", "secret", "allowWeak");
  static final List<String> ALGORITHMS = List.of("hmac-sha256", "hmac-sha384", "hmac-sha512");
  static final List<String> WEAK_ALGORITHMS = List.of("hmac-md5", "hmac-sha1");

  /** RFC 8945 §6: a key shorter than 16 octets is refused (half of HMAC-SHA256's output). */
  static final int MIN_SECRET_BYTES = 16;

  private final ReadContext ctx;
  private final Map<String, String> seen = new HashMap<>();

  /** Every zone name read without error, even in a zone with other errors (for pools). */
  private final Set<String> names = new LinkedHashSet<>();

  private final List<DnsZone> zones = new ArrayList<>();

  ZoneReader(ReadContext ctx) {
    this.ctx = ctx;
  }

  /** Reads every item of {@code list}. */
  ZoneReader read(YamlNode list) {
    for (YamlNode z : list.itemsOrEmpty()) {
      DnsZone zone = zone(z);
      if (zone != null) {
        zones.add(zone);
      }
    }
    return this;
  }

  /** The zones without errors. */
  List<DnsZone> zones() {
    return List.copyOf(zones);
  }

  /** Every valid, unique zone name, also of zones with other errors (so pools can refer). */
  Set<String> names() {
    return Set.copyOf(names);
  }

  private DnsZone zone(YamlNode z) {
    int mark = z.errors().count();
    if (!z.mapping(KEYS)) {
      return null;
    }
    String zone = zoneName(z.get("zone"));
    DnsZone.Provider provider = provider(z.get("provider"));
    boolean embedded = provider == DnsZone.Provider.EMBEDDED;
    String primary = embedded ? null : hostPort(z.get("primary"), true);
    DnsZone.Tsig tsig = embedded && !z.get("tsig").present() ? null : tsig(z.get("tsig"));
    List<String> servers = servers(z.get("servers"));
    String epoch = embedded ? null : epochRecord(z.get("epochRecord"), zone);
    Long propagation =
        z.get("propagationTimeoutMs")
            .integer(1_000, 3_600_000, DnsZone.DEFAULT_PROPAGATION_TIMEOUT_MS);
    Long update = z.get("updateTimeoutMs").integer(100, 60_000, DnsZone.DEFAULT_UPDATE_TIMEOUT_MS);
    DnsZone.Embedded content = null;
    if (embedded) {
      notFor(z, "primary", "an embedded zone has no primary: every agent serves it");
      notFor(z, "epochRecord", "an embedded zone needs no epoch fence: each agent owns its copy");
      content = new EmbeddedZoneReader(zone).read(z.get("embedded"));
    } else {
      notFor(z, "embedded", "only for provider: embedded");
    }
    if (z.errors().since(mark) || provider == null) {
      return null;
    }
    return new DnsZone(zone, primary, tsig, servers, epoch, propagation, update, provider, content);
  }

  private static DnsZone.Provider provider(YamlNode node) {
    String s = node.nonEmptyString();
    if (s == null) {
      return node.present() ? null : DnsZone.Provider.RFC2136;
    }
    for (DnsZone.Provider p : DnsZone.Provider.values()) {
      if (p.wireName().equals(s)) {
        return p;
      }
    }
    node.error("must be one of [rfc2136, embedded]");
    return null;
  }

  private static void notFor(YamlNode z, String key, String why) {
    if (z.get(key).present()) {
      z.get(key).error("not allowed here: " + why);
    }
  }

  private String zoneName(YamlNode node) {
    String name = node.requiredString();
    if (name == null) {
      return null;
    }
    String problem = Names.dnsNameProblem(name);
    if (problem == null && (name.equals(".") || name.startsWith("*"))) {
      problem = "must be a zone name (not the root, not a wildcard)";
    }
    if (problem != null) {
      node.error(problem);
      return null;
    }
    String normal = Names.normalName(name);
    int before = node.errors().count();
    Names.unique(node, "zone", normal, seen);
    if (!node.errors().since(before)) {
      names.add(normal);
    }
    return normal;
  }

  private static String hostPort(YamlNode node, boolean required) {
    String s = required ? node.requiredString() : node.nonEmptyString();
    if (s == null) {
      return null;
    }
    String problem = Names.hostPortProblem(s);
    if (problem != null) {
      node.error(problem);
      return null;
    }
    return s;
  }

  private static List<String> servers(YamlNode node) {
    List<String> out = new ArrayList<>();
    Map<String, String> seenServers = new HashMap<>();
    for (YamlNode item : node.itemsOrEmpty()) {
      String s = hostPort(item, false);
      if (s != null) {
        Names.unique(item, "server", s, seenServers);
        out.add(s);
      }
    }
    return out;
  }

  private DnsZone.Tsig tsig(YamlNode node) {
    if (!node.requirePresent() || !node.mapping(TSIG_KEYS)) {
      return null;
    }
    String name = DnsCheckReader.dnsName(node.get("name"), true);
    boolean weakOk = Boolean.TRUE.equals(node.get("allowWeak").peekBoolean());
    String algorithm = algorithm(node.get("algorithm"), weakOk);
    Secret secret = secret(node.get("secret"));
    Boolean allowWeak = node.get("allowWeak").bool(false);
    if (name == null || algorithm == null || secret == null || allowWeak == null) {
      return null;
    }
    return new DnsZone.Tsig(Names.normalName(name), algorithm, secret, allowWeak);
  }

  private static String algorithm(YamlNode node, boolean allowWeak) {
    String s = node.nonEmptyString();
    if (s == null) {
      return node.present() ? null : DnsZone.Tsig.DEFAULT_ALGORITHM;
    }
    String a = s.toLowerCase(Locale.ROOT);
    if (ALGORITHMS.contains(a) || (allowWeak && WEAK_ALGORITHMS.contains(a))) {
      return a;
    }
    if (WEAK_ALGORITHMS.contains(a)) {
      node.error(
          a
              + " is too weak; use "
              + DnsZone.Tsig.DEFAULT_ALGORITHM
              + " (or set allowWeak: true for a legacy server)");
    } else {
      node.error("must be one of " + ALGORITHMS);
    }
    return null;
  }

  /** A secret reference whose value is base64 of at least {@link #MIN_SECRET_BYTES} bytes. */
  private Secret secret(YamlNode node) {
    Secret secret = ctx.secret(node);
    if (secret == null) {
      return null;
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.reveal().trim());
    } catch (IllegalArgumentException e) {
      node.error("is not valid base64");
      return null;
    }
    if (key.length < MIN_SECRET_BYTES) {
      node.error(
          "decodes to " + key.length + " bytes; at least " + MIN_SECRET_BYTES + " are required");
      return null;
    }
    return secret;
  }

  /** Optional; a name strictly below the apex (the apex TXT RRset often holds SPF and the like). */
  private static String epochRecord(YamlNode node, String zone) {
    String name = DnsCheckReader.dnsName(node, false);
    if (name == null) {
      return null;
    }
    String normal = Names.normalName(name);
    if (zone != null && !Names.inZone(normal, zone)) {
      node.error("\"" + normal + "\" is not inside zone \"" + zone + "\"");
      return null;
    }
    if (normal.equals(zone)) {
      node.error("must be a name below the zone apex, not the apex itself");
      return null;
    }
    return normal;
  }
}
