package io.quorate.config;

import java.util.List;
import java.util.Set;

/** Reads a {@link TlsPolicy} block: {@code verify, serverName, caFile, warnDays, ...}. */
final class TlsPolicyReader {
  static final Set<String> KEYS =
      Set.of("verify", "serverName", "caFile", "warnDays", "criticalDays", "minVersion");
  static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

  /** Refused by name so the message can say why (RFC 8996 deprecates TLS 1.0 and 1.1). */
  private static final Set<String> WEAK = Set.of("SSLv2", "SSLv3", "TLSv1", "TLSv1.0", "TLSv1.1");

  static final long MAX_DAYS = 3650;

  private TlsPolicyReader() {}

  /** The policy at {@code node}; {@link TlsPolicy#DEFAULT} when absent, null on errors. */
  static TlsPolicy read(YamlNode node, ReadContext ctx) {
    int mark = node.errors().count();
    if (!node.mapping(KEYS)) {
      return node.present() ? null : TlsPolicy.DEFAULT;
    }
    Boolean verify = node.get("verify").bool(true);
    String serverName = host(node.get("serverName"));
    String caFile = ctx.caFile(node.get("caFile"));
    Long warn = node.get("warnDays").integer(0, MAX_DAYS, (long) TlsPolicy.DEFAULT_WARN_DAYS);
    Long critical =
        node.get("criticalDays").integer(0, MAX_DAYS, (long) TlsPolicy.DEFAULT_CRITICAL_DAYS);
    if (warn != null && critical != null && warn < critical) {
      node.get("warnDays").error("must be >= criticalDays (" + critical + ")");
    }
    String minVersion = minVersion(node.get("minVersion"));
    if (node.errors().since(mark)) {
      return null;
    }
    return new TlsPolicy(
        verify, serverName, caFile, warn.intValue(), critical.intValue(), minVersion);
  }

  /** An optional host name or IP literal. */
  static String host(YamlNode node) {
    String host = node.nonEmptyString();
    if (host == null) {
      return null;
    }
    String problem = Names.hostProblem(host);
    if (problem != null) {
      node.error(problem);
      return null;
    }
    return host;
  }

  private static String minVersion(YamlNode node) {
    String v = node.nonEmptyString();
    if (v == null) {
      return TlsPolicy.DEFAULT_MIN_VERSION;
    }
    if (WEAK.contains(v)) {
      node.error(v + " is too weak; must be one of " + VERSIONS);
      return null;
    }
    if (!VERSIONS.contains(v)) {
      node.error("must be one of " + VERSIONS);
      return null;
    }
    return v;
  }
}
