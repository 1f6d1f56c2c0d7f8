package io.quorate.bench;

import io.quorate.config.SmtpCheck;
import io.quorate.testsupport.PostfixLab;

/**
 * The blackbox_exporter 0.23 configuration of the side-by-side run: one module per {@link Kind},
 * named by {@link Kind#id()}, each checking what Quorate's target of the same kind checks (status,
 * body, banner, replies); IPv4 only, no fallback, 5 s timeout. In {@code query_response}, {@code
 * send} appends "\n", so lines end in "\r" to make CRLF; {@code expect} skips lines until its
 * regexp matches one (CR and LF stripped).
 */
final class ExporterConfig {
  private ExporterConfig() {}

  /** The YAML text; {@code webCa} and {@code mailCa} are PEM files of the lab CAs. */
  static String yaml(String webCa, String mailCa) {
    String ehlo = "EHLO " + SmtpCheck.DEFAULT_EHLO_NAME + "\\r";
    return "modules:\n"
        + module("dns", "dns")
        + "      transport_protocol: udp\n"
        + ip4()
        + "      query_name: rr.example.test\n"
        + "      query_type: A\n"
        + "      valid_rcodes: [NOERROR]\n"
        + module("http", "http")
        + http()
        + module("https", "http")
        + http()
        + tls(webCa, LabAddress.WEB_NAME)
        + module("smtp", "tcp")
        + ip4()
        + queries("'^220 '", "\"" + ehlo + "\"", "'^250 '", "\"QUIT\\r\"", "'^221 '")
        + module("starttls", "tcp")
        + ip4()
        + tls(mailCa, PostfixLab.HOSTNAME)
        + queries(
            "'^220 '",
            "\"" + ehlo + "\"",
            "'^250-STARTTLS'",
            "'^250 '",
            "\"STARTTLS\\r\"",
            "'^220 '",
            "STARTTLS",
            "\"" + ehlo + "\"",
            "'^250 '",
            "\"QUIT\\r\"",
            "'^221 '")
        + module("imap", "tcp")
        + ip4()
        + queries("'^\\* OK'", "\"a1 CAPABILITY\\r\"", "'^a1 OK'", "\"a2 LOGOUT\\r\"", "'^a2 OK'")
        + module("pop3", "tcp")
        + ip4()
        + queries("'^\\+OK'", "\"CAPA\\r\"", "'^\\.$'", "\"QUIT\\r\"", "'^\\+OK'");
  }

  private static String module(String name, String prober) {
    return "  " + name + ":\n    prober: " + prober + "\n    timeout: 5s\n    " + prober + ":\n";
  }

  private static String ip4() {
    return "      preferred_ip_protocol: ip4\n      ip_protocol_fallback: false\n";
  }

  private static String http() {
    return ip4()
        + "      headers:\n        Host: "
        + LabAddress.WEB_NAME
        + "\n      fail_if_body_not_matches_regexp: ['ok']\n";
  }

  private static String tls(String ca, String serverName) {
    return "      tls_config:\n        ca_file: "
        + ca
        + "\n        server_name: "
        + serverName
        + "\n";
  }

  /**
   * A {@code query_response} list: quoted regexps (single quotes) are expects, double-quoted
   * strings are sends, the bare word STARTTLS upgrades the connection.
   */
  private static String queries(String... steps) {
    StringBuilder b = new StringBuilder("      query_response:\n");
    for (String s : steps) {
      String step =
          s.equals("STARTTLS") ? "starttls: true" : (s.startsWith("'") ? "expect: " : "send: ") + s;
      b.append("        - ").append(step).append('\n');
    }
    return b.toString();
  }
}
