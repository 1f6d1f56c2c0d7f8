package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorate.alert.AlertEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code alerts:} block: defaults and a full valid example. */
class ConfigAlertsTest {
  static final String HOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private final ConfigLoader loader =
      new ConfigLoader(
          Map.of("HOOK", HOOK_SECRET, "PD", "pd-routing-key-0123", "SMTP_PW", "pw-0123456789")
              ::get);

  @Test
  void absentMeansNone() throws Exception {
    QuorateConfig c = loader.parseShared("regions: [a]\ntargets: []\n", "x.yaml");
    assertEquals(Alerts.NONE, c.alerts());
  }

  @Test
  void fullExample() throws Exception {
    String yaml =
        String.join(
            "\n",
            "regions: [eu-west, us-east]",
            "groups: [{id: web, name: Web}]",
            "targets: [{id: web-1, type: http, group: web, address: 127.0.0.11}]",
            "alerts:",
            "  retryForMs: 3600000",
            "  storm: {maxEvents: 5, windowMs: 30000}",
            "  channels:",
            "    - {id: hook, type: webhook, url: 'https://hooks.example.test/q',",
            "       secrets: ['${env:HOOK}', '${env:HOOK}'], allowHosts: [Hooks.Example.Test]}",
            "    - {id: pd, type: webhook, format: pagerduty, routingKey: '${env:PD}',",
            "       url: 'https://events.pagerduty.test/v2/enqueue', timeoutMs: 3000}",
            "    - {id: mail, type: email, host: relay.example.test, username: quorate,",
            "       password: '${env:SMTP_PW}', from: quorate@example.test, to: [ops@example.test]}",
            "  rules:",
            "    - {kinds: ['verdict.*', dns.fail-open], groups: [web], minSeverity: warning,",
            "       channels: [hook, pd], remindEveryMs: 3600000}",
            "    - {targets: [web-1, eu-west], channels: [mail], recovery: false}",
            "");
    Alerts a = loader.parseShared(yaml, "x.yaml").alerts();
    assertEquals(3_600_000, a.retryForMs());
    assertEquals(new Alerts.Storm(5, 30_000), a.storm());
    Alerts.Webhook hook = (Alerts.Webhook) a.channels().get(0);
    assertEquals(Alerts.Format.STANDARD, hook.format());
    assertEquals(2, hook.secrets().size());
    assertEquals(List.of("hooks.example.test"), hook.allowHosts());
    assertEquals(Alerts.Webhook.DEFAULT_TIMEOUT_MS, hook.timeoutMs());
    Alerts.Webhook pd = (Alerts.Webhook) a.channels().get(1);
    assertEquals("pd-routing-key-0123", pd.routingKey().reveal());
    assertEquals(3000, pd.timeoutMs());
    Alerts.Email mail = (Alerts.Email) a.channels().get(2);
    assertEquals(587, mail.port());
    assertEquals(Alerts.Email.TlsMode.STARTTLS, mail.tls());
    assertNull(mail.caFile());
    Alerts.Rule r0 = a.rules().get(0);
    assertEquals(AlertEvent.Severity.WARNING, r0.minSeverity());
    assertEquals(List.of("verdict.*", "dns.fail-open"), r0.kinds());
    Alerts.Rule r1 = a.rules().get(1);
    assertEquals(AlertEvent.Severity.INFO, r1.minSeverity());
    assertEquals(false, r1.recovery());
    assertEquals(0, r1.remindEveryMs());
  }
}
