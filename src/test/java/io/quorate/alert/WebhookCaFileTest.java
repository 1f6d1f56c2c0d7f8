package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.Alerts;
import io.quorate.config.ConfigError;
import io.quorate.config.ConfigException;
import io.quorate.config.ConfigLoader;
import io.quorate.testsupport.TestTls;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook's {@code caFile}: an endpoint whose certificate comes from a private CA is reached when
 * the channel names that CA, from the YAML through the loader and {@link Channels} to a real https
 * receiver; and a {@code caFile} that cannot serve (not PEM, no certificate, a plain-http URL) is a
 * config error with its YAML path, for webhooks, email relays and probe TLS policies alike.
 */
@ExtendWith(VertxExtension.class)
class WebhookCaFileTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;

  @Test
  void aPrivateCaNamedInTheConfigVerifiesTheEndpoint(Vertx vertx) throws Exception {
    TestTls ca = TestTls.newCa(dir.resolve("ca"));
    WebhookConsumer c =
        WebhookConsumer.start(vertx, ca.issueValid("hooks", List.of("localhost"))).await();
    String url = "https://localhost:" + c.port() + "/hook";

    Alerts trusted = load(webhook(url, "caFile: ca/ca.pem")).shared().alerts();
    assertEquals(dir.resolve("ca/ca.pem").toString(), webhookOf(trusted).caFile());
    ChannelSender sender = Channels.build(vertx, trusted, Clock.systemUTC()).get(0);
    assertEquals(DeliveryResult.delivered(200), sender.send(AlertFixtures.down(), 1).await());
    assertEquals(1, c.received().size());

    // the same channel without caFile trusts only the JVM's store: the handshake fails, nothing
    // reaches the receiver
    Alerts jvm = load(webhook(url, "")).shared().alerts();
    DeliveryResult untrusted =
        Channels.build(vertx, jvm, Clock.systemUTC()).get(0).send(AlertFixtures.down(), 1).await();
    assertEquals(DeliveryResult.Outcome.RETRY, untrusted.outcome());
    assertTrue(untrusted.detail().startsWith("TLS: "), untrusted.detail());
    assertEquals(1, c.received().size());
  }

  @Test
  void aCaFileThatIsNotACertificateBundleIsAConfigErrorEverywhereItIsAccepted() throws Exception {
    Files.writeString(dir.resolve("empty.pem"), "");
    Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END");
    Files.writeString(dir.resolve("torn.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n");
    String yaml =
        String.join(
            "\n",
            "regions: [eu-west]",
            "targets:",
            "  - {id: w, type: http, address: 127.0.0.1, http: {https: true,"
                + " tls: {caFile: empty.pem}}}",
            "alerts:",
            "  channels:",
            "    - {id: hook, type: webhook, url: \"https://hooks.example.test/x\","
                + " secrets: [\"${env:HOOK}\"], caFile: key.pem}",
            "    - {id: plain, type: webhook, url: \"http://hooks.example.test/x\","
                + " secrets: [\"${env:HOOK}\"], caFile: "
                + TestTls.newCa(dir.resolve("ok")).caFile()
                + "}",
            "    - {id: mail, type: email, host: relay.example.test, from: a@example.test,"
                + " to: [b@example.test], caFile: torn.pem}",
            "");
    ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
    List<String> got = e.errors().stream().map(ConfigError::toString).toList();
    assertEquals(
        List.of(
            "targets[0].http.tls.caFile: file "
                + dir.resolve("empty.pem")
                + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)",
            "alerts.channels[0].caFile: file "
                + dir.resolve("key.pem")
                + " is not a PEM certificate bundle (Illegal footer: -----END)",
            "alerts.channels[1].caFile: applies to https URLs only;"
                + " url is http://hooks.example.test/x",
            "alerts.channels[2].caFile: file "
                + dir.resolve("torn.pem")
                + " is not a PEM certificate bundle (Incomplete data)"),
        got);
  }

  private io.quorate.config.LoadedConfig load(String yaml) throws Exception {
    Path shared = Files.writeString(dir.resolve("quorate.yaml"), yaml);
    return new ConfigLoader(Map.of("HOOK", SECRET)::get).load(shared, null);
  }

  private static String webhook(String url, String extra) {
    return String.join(
        "\n",
        "regions: [eu-west]",
        "targets: []",
        "alerts:",
        "  channels:",
        "    - {id: hook, type: webhook, url: \"" + url + "\", allowHosts: [localhost],",
        "       secrets: [\"${env:HOOK}\"]" + (extra.isEmpty() ? "" : ", " + extra) + "}",
        "");
  }

  private static Alerts.Webhook webhookOf(Alerts alerts) {
    return (Alerts.Webhook) alerts.channels().get(0);
  }
}
