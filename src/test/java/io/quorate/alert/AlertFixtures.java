package io.quorate.alert;

import io.quorate.config.Alerts;
import io.quorate.config.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Events and channel configs for the channel tests. */
final class AlertFixtures {
  static final Instant AT = Instant.parse("2026-11-21T10:15:30Z");

  /** Two signing secrets ({@code whsec_} + base64 of 25 and 34 bytes). */
  static final String SECRET_NEW = "whsec_bmV3LWtleS1mb3ItcXVvcmF0ZS10ZXN0cw==";

  static final String SECRET_OLD = "whsec_b2xkLWtleS1mb3ItcXVvcmF0ZS10ZXN0cy0xMjM0NTY3OA==";

  private AlertFixtures() {}

  /**
   * A shared config body: target {@code web-1} ({@code GET /health} on {@code webPort}), the
   * webhook channel {@code hook} on {@code hookPort} (signed with {@code ${env:HOOK}}, plus {@code
   * channelExtra} options) and one rule for verdict events.
   */
  static String webAndHook(int webPort, int hookPort, String channelExtra) {
    return String.join(
        "\n",
        "defaults: {intervalMs: 1000, timeoutMs: 500, fall: 2, rise: 2}",
        "targets:",
        "  - {id: web-1, type: http, address: 127.0.0.1, port: " + webPort + ",",
        "     http: {path: /health}}",
        "alerts:",
        "  channels:",
        "    - {id: hook, type: webhook, url: 'http://127.0.0.1:" + hookPort + "/hook',",
        "       secrets: ['${env:HOOK}'], allowHosts: [127.0.0.1]" + channelExtra + "}",
        "  rules:",
        "    - {kinds: ['verdict.*'], channels: [hook]}",
        "");
  }

  /** The state of event {@code id}'s delivery to channel {@code hook} in {@code agent}, or "". */
  static String hookState(io.quorate.Agent agent, String id) {
    try {
      OutboxEvent e = io.quorate.testsupport.ApiPoll.await(agent.outbox().find(id));
      if (e == null) {
        return "";
      }
      return e.deliveries().stream()
          .filter(d -> d.channelId().equals("hook"))
          .map(d -> d.state().wireName())
          .findFirst()
          .orElse("");
    } catch (Exception ex) {
      return "";
    }
  }

  static AlertEvent down() {
    return new AlertEvent(
        "evt_web-2_t7",
        "verdict.down",
        AlertEvent.Severity.CRITICAL,
        "web-2",
        "web",
        "web-2 DOWN in 3/3 regions — www.example.test",
        Map.of("votes", "3/3", "reason", "connect: connection refused"),
        AT,
        "eu-west",
        "target:web-2",
        false);
  }

  static AlertEvent up() {
    return new AlertEvent(
        "evt_web-2_t8",
        "verdict.up",
        AlertEvent.Severity.INFO,
        "web-2",
        "web",
        "web-2 UP again in 3/3 regions — www.example.test",
        Map.of("votes", "3/3"),
        AT.plusSeconds(600),
        "eu-west",
        "target:web-2",
        true);
  }

  static Secret secret(String value) {
    return new Secret("${env:TEST_SECRET}", value);
  }

  static Alerts.Webhook webhook(String url, Alerts.Format format, List<String> allowHosts) {
    return new Alerts.Webhook(
        "hook",
        url,
        format,
        format == Alerts.Format.STANDARD ? List.of(secret(SECRET_NEW)) : List.of(),
        format == Alerts.Format.PAGERDUTY ? secret("R0UTINGKEY0123456789abcdef012345") : null,
        1_000,
        1_500,
        allowHosts,
        null);
  }

  static Alerts.Webhook signed(String url, List<Secret> secrets) {
    return new Alerts.Webhook(
        "hook",
        url,
        Alerts.Format.STANDARD,
        secrets,
        null,
        1_000,
        1_500,
        List.of("127.0.0.1"),
        null);
  }
}
