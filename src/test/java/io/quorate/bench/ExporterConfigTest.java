package io.quorate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExporterConfigTest {
  private final String yaml = ExporterConfig.yaml("/lab/web-ca.pem", "/lab/mail-ca.pem");

  @Test
  void hasOneModuleNamedAfterEachKind() {
    List<String> modules =
        yaml.lines().filter(l -> l.matches("  [a-z0-9]+:")).map(String::strip).toList();
    assertEquals(
        List.of("dns:", "http:", "https:", "smtp:", "starttls:", "imap:", "pop3:"), modules);
    for (Kind k : Kind.values()) {
      assertTrue(modules.contains(k.id() + ":"), k.id());
    }
  }

  @Test
  void starttlsModuleUpgradesAfterThe220AndTrustsTheMailCa() {
    String starttls = yaml.substring(yaml.indexOf("  starttls:"), yaml.indexOf("  imap:"));
    assertEquals(
        String.join(
            "\n",
            "  starttls:",
            "    prober: tcp",
            "    timeout: 5s",
            "    tcp:",
            "      preferred_ip_protocol: ip4",
            "      ip_protocol_fallback: false",
            "      tls_config:",
            "        ca_file: /lab/mail-ca.pem",
            "        server_name: mail.example.test",
            "      query_response:",
            "        - expect: '^220 '",
            "        - send: \"EHLO probe.quorate.invalid\\r\"",
            "        - expect: '^250-STARTTLS'",
            "        - expect: '^250 '",
            "        - send: \"STARTTLS\\r\"",
            "        - expect: '^220 '",
            "        - starttls: true",
            "        - send: \"EHLO probe.quorate.invalid\\r\"",
            "        - expect: '^250 '",
            "        - send: \"QUIT\\r\"",
            "        - expect: '^221 '",
            ""),
        starttls);
  }

  @Test
  void httpsModuleSendsTheHostAndChecksBodyAndChain() {
    String https = yaml.substring(yaml.indexOf("  https:"), yaml.indexOf("  smtp:"));
    assertTrue(https.contains("        Host: www.example.test\n"), https);
    assertTrue(https.contains("      fail_if_body_not_matches_regexp: ['ok']\n"), https);
    assertTrue(https.contains("        ca_file: /lab/web-ca.pem\n"), https);
    assertTrue(yaml.contains("      valid_rcodes: [NOERROR]\n"), yaml);
  }
}
