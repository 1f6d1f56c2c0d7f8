package io.quorate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quorate.config.ConfigException;
import io.quorate.config.ConfigLoader;
import io.quorate.config.ProbeType;
import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Options of {@code quorate probe}. They are turned into a one-target config and validated by the
 * same {@link ConfigLoader} as a file, so the CLI and the config share every default and rule.
 */
public final class ProbeOptions {
  static final long DEFAULT_TIMEOUT_MS = 5_000;
  static final String DEFAULT_PASSWORD_ENV = "QUORATE_PROBE_PASSWORD";

  @Parameters(
      index = "0",
      description = "probe type: dns, http, tcp, tls, smtp, imap, pop3, mailflow",
      converter = ProbeTypeConverter.class)
  ProbeType type;

  @Parameters(index = "1", description = "IP address or host name to connect to")
  String address;

  @Option(names = "--port", description = "port (default: the protocol's usual port)")
  Integer port;

  @Option(
      names = "--timeout-ms",
      description = "probe timeout (default 5000; mailflow: --deadline-ms + 5000)")
  Long timeoutMs;

  @Option(names = "--degraded-above-ms", description = "slower than this is DEGRADED")
  Long degradedAboveMs;

  @Option(names = "--name", description = "dns: query name")
  String name;

  @Option(names = "--qtype", description = "dns: query type (default A)")
  String qtype;

  @Option(names = "--tcp", description = "dns: query over TCP")
  boolean tcp;

  @Option(names = "--expect-rcode", description = "dns: expected rcode (default NOERROR)")
  String expectRcode;

  @Option(names = "--authoritative", description = "dns: require the AA flag")
  boolean authoritative;

  @Option(names = "--expect", split = ",", description = "dns: the answer must equal this set")
  List<String> expectAnswer;

  @Option(names = "--zone", description = "dns: SOA consistency of this zone across its servers")
  String zone;

  @Option(
      names = "--servers",
      split = ",",
      description = "dns --zone: host:port of each authoritative server (default: from NS)")
  List<String> servers;

  @Option(names = "--https", description = "http: use TLS")
  boolean https;

  @Option(names = "--host", description = "http: Host header and SNI")
  String host;

  @Option(names = "--path", description = "http: request path (default /)")
  String path;

  @Option(names = "--expect-status", split = ",", description = "http: acceptable status codes")
  List<Integer> expectStatus;

  @Option(names = "--body-contains", description = "http: the body must contain this")
  String bodyContains;

  @Option(names = "--follow-redirects", description = "http: follow redirects")
  boolean followRedirects;

  @Option(
      names = "--tls-mode",
      description =
          "smtp/imap/pop3: none, starttls, opportunistic," + " implicit (default by port)")
  String tlsMode;

  @Option(names = "--user", description = "smtp/imap/pop3: log in as this user")
  String user;

  @Option(names = "--password-env", description = "environment variable holding the password")
  String passwordEnv;

  @Option(names = "--password-file", description = "file (mode 0600) holding the password")
  String passwordFile;

  @Mixin MailflowOptions mailflow = new MailflowOptions();

  @Option(names = "--expect-banner", description = "tcp: regex the banner must match")
  String expectBanner;

  @Option(names = "--server-name", description = "TLS: SNI and name to verify")
  String serverName;

  @Option(names = "--ca-file", description = "TLS: PEM file of trust anchors")
  String caFile;

  @Option(
      names = "--insecure",
      description = "TLS: accept any chain and name (expiry still" + " reported)")
  boolean insecure;

  /** Builds and validates the target; throws IllegalArgumentException with every problem. */
  Target toTarget() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", "cli");
    t.put("type", type.wireName());
    t.put("address", address);
    putIf(t, "port", port);
    long timeout = timeoutMs != null ? timeoutMs : DEFAULT_TIMEOUT_MS;
    if (type == ProbeType.MAILFLOW) {
      timeout = timeoutMs != null ? timeoutMs : mailflow.defaultTimeoutMs();
    } else if (mailflow.any()) {
      throw new IllegalArgumentException(
          "invalid probe options: --from, --to, --imap-*, --mailbox, --deadline-ms and"
              + " --degraded-after-ms apply to mailflow only");
    }
    t.put("intervalMs", Math.max(60_000L, timeout + 1));
    t.put("timeoutMs", timeout);
    putIf(t, "degradedAboveMs", degradedAboveMs);
    Map<String, Object> check = check();
    if (!check.isEmpty()) {
      t.put(type.wireName(), check);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("regions", List.of("cli"));
    doc.put("targets", List.of(t));
    try {
      String yaml = new ObjectMapper(new YAMLFactory()).writeValueAsString(doc);
      QuorateConfig c = new ConfigLoader(System::getenv).parseShared(yaml, "command line");
      return c.targets().get(0);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(
          "invalid probe options: "
              + e.errors().stream()
                  .map(er -> er.toString().replaceFirst("^targets\\[0\\]\\.", ""))
                  .collect(Collectors.joining("; ")));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Object> check() {
    Map<String, Object> c = new LinkedHashMap<>();
    switch (type) {
      case DNS -> {
        putIf(c, "name", name == null && zone == null ? address : name);
        putIf(c, "qtype", qtype);
        putIf(c, "transport", tcp ? "tcp" : null);
        putIf(c, "expectRcode", expectRcode);
        putIf(c, "authoritative", authoritative ? true : null);
        if (expectAnswer != null) {
          c.put("answer", Map.of("equals", expectAnswer));
        }
        if (zone != null) {
          c.put(
              "consistency",
              servers == null ? Map.of("zone", zone) : Map.of("zone", zone, "servers", servers));
          c.putIfAbsent("name", zone);
          c.putIfAbsent("qtype", "SOA");
        }
      }
      case HTTP -> {
        putIf(c, "https", https ? true : null);
        putIf(c, "host", host);
        putIf(c, "path", path);
        putIf(c, "expectStatus", expectStatus);
        putIf(c, "bodyContains", bodyContains);
        putIf(c, "followRedirects", followRedirects ? true : null);
        putIf(c, "tls", tls());
      }
      case TLS -> c.putAll(tls() == null ? Map.of() : tls());
      case TCP -> {
        putIf(c, "expectBanner", expectBanner);
        putIf(c, "tls", serverName != null || caFile != null || insecure ? tls() : null);
      }
      case SMTP, IMAP, POP3 -> {
        putIf(c, "tlsMode", tlsMode);
        putIf(c, "login", login(user, passwordEnv, passwordFile));
        putIf(c, "tls", tls());
      }
      case MAILFLOW -> {
        Map<String, Object> smtp = new LinkedHashMap<>();
        putIf(smtp, "tlsMode", tlsMode);
        Map<String, Object> login = login(user, passwordEnv, passwordFile);
        putIf(smtp, "login", login);
        putIf(smtp, "tls", tls());
        c.putAll(mailflow.block(smtp, address, login));
      }
      default -> throw new IllegalArgumentException("unsupported type " + type);
    }
    return c;
  }

  private Map<String, Object> tls() {
    Map<String, Object> t = new LinkedHashMap<>();
    putIf(t, "serverName", serverName);
    putIf(t, "caFile", caFile);
    putIf(t, "verify", insecure ? false : null);
    return t.isEmpty() ? null : t;
  }

  /**
   * A {@code login:} mapping whose password is a secret reference ({@code ${file:…}} or {@code
   * ${env:…}}, by default {@code QUORATE_PROBE_PASSWORD}); {@code null} without a user.
   */
  static Map<String, Object> login(Object user, String passwordEnv, String passwordFile) {
    if (user == null) {
      return null;
    }
    if (passwordEnv != null && passwordFile != null) {
      throw new IllegalArgumentException(
          "invalid probe options: give the password in an environment variable or a file, not"
              + " both");
    }
    Map<String, Object> login = new LinkedHashMap<>();
    login.put("username", user);
    login.put(
        "password",
        passwordFile != null
            ? "${file:" + passwordFile + "}"
            : "${env:" + (passwordEnv == null ? DEFAULT_PASSWORD_ENV : passwordEnv) + "}");
    return login;
  }

  static void putIf(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  /** Accepts the lower-case wire names used everywhere else. */
  static final class ProbeTypeConverter implements picocli.CommandLine.ITypeConverter<ProbeType> {
    @Override
    public ProbeType convert(String value) {
      ProbeType t = ProbeType.parse(value.toLowerCase(java.util.Locale.ROOT));
      if (t == null) {
        throw new picocli.CommandLine.TypeConversionException(
            "unknown probe type '" + value + "' (dns, http, tcp, tls, smtp, imap, pop3)");
      }
      return t;
    }
  }
}
