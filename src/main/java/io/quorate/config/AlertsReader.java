package io.quorate.config;

import io.quorate.alert.AlertEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the shared file's {@code alerts:} block: channels, routing rules, retry period, storm. */
final class AlertsReader {
  static final Set<String> KEYS = Set.of("channels", "rules", "retryForMs", "storm");
  private static final Set<String> WEBHOOK_KEYS =
      Set.of(
          "id",
          "type",
          "url",
          "format",
          "secrets",
          "routingKey",
          "connectTimeoutMs",
          "timeoutMs",
          "allowHosts",
          "caFile");
  private static final Set<String> EMAIL_KEYS =
      Set.of(
          "id",
          "type",
          "host",
          "port",
          "tls",
          "username",
          "password",
          "caFile",
          "from",
          "to",
          "timeoutMs");
  private static final Set<String> RULE_KEYS =
      Set.of("kinds", "targets", "groups", "minSeverity", "channels", "remindEveryMs", "recovery");
  private static final Set<String> STORM_KEYS = Set.of("maxEvents", "windowMs");

  /** Every kind an event can have (rules may also name a prefix such as {@code verdict.*}). */
  static final List<String> KINDS =
      List.of(
          "verdict.down",
          "verdict.degraded",
          "verdict.up",
          "dns.applied",
          "dns.failed",
          "dns.frozen",
          "dns.fail-open",
          "dns.propagation-timeout",
          "region.lost",
          "region.regained",
          "quorum.lost",
          "quorum.regained",
          "cert.expiring",
          "config.drift",
          "clock.skew",
          "region.identity-clash",
          "channel.disabled",
          "slo.burn",
          "digest");

  /** Standard Webhooks secrets: {@code whsec_} + base64 of 24 to 64 bytes. */
  static final String SECRET_PREFIX = "whsec_";

  private final ReadContext ctx;
  private final Set<String> subjects;
  private final Set<String> groups;

  /**
   * @param subjects every id a rule's {@code targets} may name (targets, pools, regions)
   * @param groups every group id
   */
  AlertsReader(ReadContext ctx, Set<String> subjects, Set<String> groups) {
    this.ctx = ctx;
    this.subjects = Set.copyOf(subjects);
    this.groups = Set.copyOf(groups);
  }

  Alerts read(YamlNode node) {
    if (!node.present()) {
      return Alerts.NONE;
    }
    int mark = node.errors().count();
    if (!node.mapping(KEYS)) {
      return null;
    }
    Map<String, String> ids = new HashMap<>();
    List<Alerts.Channel> channels = new ArrayList<>();
    for (YamlNode c : node.get("channels").itemsOrEmpty()) {
      Alerts.Channel ch = channel(c, ids);
      if (ch != null) {
        channels.add(ch);
      }
    }
    List<Alerts.Rule> rules = new ArrayList<>();
    for (YamlNode r : node.get("rules").itemsOrEmpty()) {
      Alerts.Rule rule = rule(r, ids.keySet(), subjects, groups);
      if (rule != null) {
        rules.add(rule);
      }
    }
    Long retry =
        node.get("retryForMs").integer(60_000, 7 * 86_400_000L, Alerts.DEFAULT_RETRY_FOR_MS);
    Alerts.Storm storm = storm(node.get("storm"));
    if (node.errors().since(mark)) {
      return null;
    }
    return new Alerts(channels, rules, retry, storm);
  }

  private Alerts.Channel channel(YamlNode c, Map<String, String> ids) {
    String type = c.get("type").peekString();
    if ("webhook".equals(type)) {
      return c.mapping(WEBHOOK_KEYS) ? webhook(c, ids) : null;
    }
    if ("email".equals(type)) {
      return c.mapping(EMAIL_KEYS) ? email(c, ids) : null;
    }
    if (c.get("type").requiredString() != null) {
      c.get("type").error("must be one of [webhook, email]");
    }
    return null;
  }

  private Alerts.Webhook webhook(YamlNode c, Map<String, String> ids) {
    int mark = c.errors().count();
    String id = Names.id(c.get("id"), "channel", ids);
    Alerts.Format format = format(c.get("format"));
    String url = url(c.get("url"));
    List<Secret> secrets = new ArrayList<>();
    for (YamlNode s : c.get("secrets").itemsOrEmpty()) {
      Secret secret = webhookSecret(s);
      if (secret != null) {
        secrets.add(secret);
      }
    }
    if (format == Alerts.Format.STANDARD && !c.get("secrets").present()) {
      c.get("secrets")
          .error("required for format standard (one whsec_ secret; two during rotation)");
    }
    Secret routingKey = c.get("routingKey").present() ? ctx.secret(c.get("routingKey")) : null;
    if (format == Alerts.Format.PAGERDUTY && !c.get("routingKey").present()) {
      c.get("routingKey").error("required for format pagerduty (the integration key)");
    }
    Long connect =
        c.get("connectTimeoutMs").integer(100, 60_000, Alerts.Webhook.DEFAULT_CONNECT_TIMEOUT_MS);
    Long timeout = c.get("timeoutMs").integer(100, 120_000, Alerts.Webhook.DEFAULT_TIMEOUT_MS);
    List<String> allow = new ArrayList<>();
    for (YamlNode h : c.get("allowHosts").itemsOrEmpty()) {
      String host = h.requiredString();
      String problem = host == null ? null : Names.hostProblem(host);
      if (problem != null) {
        h.error(problem);
      } else if (host != null) {
        allow.add(host.toLowerCase(Locale.ROOT));
      }
    }
    String caFile = ctx.caFile(c.get("caFile"));
    if (caFile != null && url != null && !url.regionMatches(true, 0, "https:", 0, 6)) {
      c.get("caFile").error("applies to https URLs only; url is " + url);
    }
    if (c.errors().since(mark)) {
      return null;
    }
    return new Alerts.Webhook(
        id, url, format, secrets, routingKey, connect, timeout, allow, caFile);
  }

  private static Alerts.Format format(YamlNode node) {
    String s = node.nonEmptyString();
    if (s == null) {
      return node.present() ? null : Alerts.Format.STANDARD;
    }
    for (Alerts.Format f : Alerts.Format.values()) {
      if (f.wireName().equals(s)) {
        return f;
      }
    }
    node.error("must be one of [standard, slack, pagerduty]");
    return null;
  }

  private static String url(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    try {
      URI u = new URI(s);
      boolean web = "https".equals(u.getScheme()) || "http".equals(u.getScheme());
      if (web && u.getHost() != null && u.getUserInfo() == null && u.getFragment() == null) {
        return s;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    node.error("must be an absolute http(s) URL with a host, without user info or fragment");
    return null;
  }

  private Secret webhookSecret(YamlNode node) {
    Secret secret = ctx.secret(node);
    if (secret == null) {
      return null;
    }
    String v = secret.reveal().trim();
    if (!v.startsWith(SECRET_PREFIX)) {
      node.error("must be a Standard Webhooks secret: whsec_ followed by base64");
      return null;
    }
    try {
      int n = Base64.getDecoder().decode(v.substring(SECRET_PREFIX.length())).length;
      if (n < 24 || n > 64) {
        node.error("decodes to " + n + " bytes; 24 to 64 are required");
        return null;
      }
    } catch (IllegalArgumentException e) {
      node.error("is not valid base64 after whsec_");
      return null;
    }
    return secret;
  }

  private Alerts.Email email(YamlNode c, Map<String, String> ids) {
    int mark = c.errors().count();
    String id = Names.id(c.get("id"), "channel", ids);
    String host = c.get("host").requiredString();
    if (host != null && Names.hostProblem(host) != null) {
      c.get("host").error(Names.hostProblem(host));
    }
    Alerts.Email.TlsMode tls = emailTls(c.get("tls"));
    if (tls == Alerts.Email.TlsMode.NONE
        && host != null
        && !List.of("127.0.0.1", "::1", "localhost").contains(host.toLowerCase(Locale.ROOT))) {
      c.get("tls")
          .error("none is allowed only for a relay on loopback (127.0.0.1, ::1, localhost)");
    }
    long defaultPort = tls == Alerts.Email.TlsMode.IMPLICIT ? 465 : 587;
    Long port = c.get("port").integer(1, 65_535, defaultPort);
    String username = c.get("username").nonEmptyString();
    Secret password = c.get("password").present() ? ctx.secret(c.get("password")) : null;
    if ((username == null) != (password == null) && c.get("username").present()) {
      c.get("password").error("required with username");
    }
    String caFile = ctx.caFile(c.get("caFile"));
    String from = address(c.get("from"));
    List<String> to = new ArrayList<>();
    if (c.get("to").requirePresent()) {
      for (YamlNode t : c.get("to").itemsOrEmpty()) {
        String a = address(t);
        if (a != null) {
          to.add(a);
        }
      }
      if (c.get("to").items() != null && c.get("to").items().isEmpty()) {
        c.get("to").error("must name at least one recipient");
      }
    }
    Long timeout = c.get("timeoutMs").integer(1_000, 300_000, Alerts.Email.DEFAULT_TIMEOUT_MS);
    if (c.errors().since(mark)) {
      return null;
    }
    return new Alerts.Email(
        id, host, port.intValue(), tls, username, password, caFile, from, to, timeout);
  }

  private static Alerts.Email.TlsMode emailTls(YamlNode node) {
    String s = node.nonEmptyString();
    if (s == null) {
      return node.present() ? null : Alerts.Email.TlsMode.STARTTLS;
    }
    return switch (s) {
      case "starttls" -> Alerts.Email.TlsMode.STARTTLS;
      case "implicit" -> Alerts.Email.TlsMode.IMPLICIT;
      case "none" -> Alerts.Email.TlsMode.NONE;
      default -> {
        node.error("must be one of [starttls, implicit, none]");
        yield null;
      }
    };
  }

  /** A bare mailbox {@code local@domain} (no display name, no CR/LF: header injection). */
  private static String address(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    if (!s.matches("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")) {
      node.error("must be a plain address local@domain");
      return null;
    }
    return s;
  }

  private static Alerts.Rule rule(
      YamlNode r, Set<String> channelIds, Set<String> knownSubjects, Set<String> knownGroups) {
    int mark = r.errors().count();
    if (!r.mapping(RULE_KEYS)) {
      return null;
    }
    List<String> kinds = new ArrayList<>();
    for (YamlNode k : r.get("kinds").itemsOrEmpty()) {
      String s = k.requiredString();
      if (s == null) {
        continue;
      }
      boolean prefix =
          s.endsWith(".*")
              && KINDS.stream().anyMatch(x -> x.startsWith(s.substring(0, s.length() - 1)));
      if (!prefix && !KINDS.contains(s)) {
        k.error(
            "unknown event kind \"" + s + "\"; one of " + KINDS + " or a prefix like verdict.*");
      } else {
        kinds.add(s);
      }
    }
    List<String> targets = known(r.get("targets"), knownSubjects, "target, pool or region");
    List<String> groups = known(r.get("groups"), knownGroups, "group");
    AlertEvent.Severity min = severity(r.get("minSeverity"));
    List<String> channels = new ArrayList<>();
    if (r.get("channels").requirePresent()) {
      for (YamlNode c : r.get("channels").itemsOrEmpty()) {
        String id = c.requiredString();
        if (id != null && !channelIds.contains(id)) {
          c.error("unknown channel \"" + id + "\"");
        } else if (id != null) {
          channels.add(id);
        }
      }
    }
    Long remind = r.get("remindEveryMs").integer(0, 7 * 86_400_000L, 0L);
    if (remind != null && remind > 0 && remind < 60_000) {
      r.get("remindEveryMs").error("must be 0 (never) or at least 60000");
    }
    Boolean recovery = r.get("recovery").bool(true);
    if (r.errors().since(mark)) {
      return null;
    }
    return new Alerts.Rule(kinds, targets, groups, min, channels, remind, recovery);
  }

  private static List<String> known(YamlNode node, Set<String> known, String what) {
    List<String> out = new ArrayList<>();
    for (YamlNode n : node.itemsOrEmpty()) {
      String s = n.requiredString();
      if (s != null && !known.contains(s)) {
        n.error("unknown " + what + " \"" + s + "\"");
      } else if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private static AlertEvent.Severity severity(YamlNode node) {
    String s = node.nonEmptyString();
    if (s == null) {
      return node.present() ? null : AlertEvent.Severity.INFO;
    }
    for (AlertEvent.Severity v : AlertEvent.Severity.values()) {
      if (v.wireName().equals(s)) {
        return v;
      }
    }
    node.error("must be one of [critical, warning, info]");
    return null;
  }

  private static Alerts.Storm storm(YamlNode node) {
    if (!node.present() || !node.mapping(STORM_KEYS)) {
      return node.present() ? null : Alerts.Storm.DEFAULT;
    }
    Long max = node.get("maxEvents").integer(1, 10_000, (long) Alerts.Storm.DEFAULT.maxEvents());
    Long window = node.get("windowMs").integer(1_000, 3_600_000, Alerts.Storm.DEFAULT.windowMs());
    return max == null || window == null ? null : new Alerts.Storm(max.intValue(), window);
  }
}
