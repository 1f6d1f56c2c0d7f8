package io.quorate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code mailflow} target loads into its records with secrets, TLS policies and defaults. */
class MailflowConfigTest {
  private static final Map<String, String> ENV =
      io.quorate.testsupport.ExampleEnv.with(
          Map.of(
              "MAILFLOW_SMTP_PASSWORD", "smtp-secret-value",
              "MAILFLOW_IMAP_PASSWORD", "imap-secret-value"));

  private final ConfigLoader loader = new ConfigLoader(ENV::get);

  @TempDir Path tmp;

  @Test
  void fullBlockLoads() throws Exception {
    io.quorate.testsupport.TestTls.newCa(tmp); // writes tmp/ca.pem
    String yaml =
        String.join(
            "\n",
            "regions: [eu-west]",
            "targets:",
            "  - id: mail-flow",
            "    type: mailflow",
            "    address: 127.0.0.1",
            "    intervalMs: 60000",
            "    timeoutMs: 40000",
            "    mailflow:",
            "      smtp: {tlsMode: starttls, login: {username: probe,"
                + " password: \"${env:MAILFLOW_SMTP_PASSWORD}\"}, tls: {caFile: ca.pem}}",
            "      from: probe@example.test",
            "      to: probe+flow@example.test",
            "      imap: {address: 127.0.0.2, tlsMode: implicit, login: {username: probe,"
                + " password: \"${env:MAILFLOW_IMAP_PASSWORD}\"}, mailbox: Probe}",
            "      deadlineMs: 30000",
            "      degradedAfterMs: 10000",
            "");
    Target t = load(yaml);
    assertEquals(ProbeType.MAILFLOW, t.type());
    assertEquals(587, t.port(), "submission port by default");
    MailflowCheck c = t.check(MailflowCheck.class);
    assertEquals(TlsMode.STARTTLS, c.smtp().tlsMode());
    assertEquals(SmtpCheck.DEFAULT_EHLO_NAME, c.smtp().ehloName());
    assertEquals("smtp-secret-value", c.smtp().login().password().reveal());
    assertEquals(tmp.resolve("ca.pem").toAbsolutePath().toString(), c.smtp().tls().caFile());
    assertEquals("probe@example.test", c.from());
    assertEquals("probe+flow@example.test", c.to());
    assertEquals(
        new MailflowCheck.Imap(
            "127.0.0.2", 993, TlsMode.IMPLICIT, c.imap().login(), "Probe", TlsPolicy.DEFAULT),
        c.imap());
    assertEquals("imap-secret-value", c.imap().login().password().reveal());
    assertEquals(30_000, c.deadlineMs());
    assertEquals(10_000L, c.degradedAfterMs());
  }

  @Test
  void defaults() throws Exception {
    String yaml =
        String.join(
            "\n",
            "regions: [eu-west]",
            "targets:",
            "  - id: mail-flow",
            "    type: mailflow",
            "    address: 127.0.0.1",
            "    intervalMs: 60000",
            "    timeoutMs: 35000",
            "    mailflow:",
            "      smtp: {tlsMode: implicit}",
            "      from: a@example.test",
            "      to: b@example.test",
            "      imap: {address: 127.0.0.1, login: {username: b,"
                + " password: \"${env:MAILFLOW_IMAP_PASSWORD}\"}}",
            "");
    Target t = load(yaml);
    assertEquals(465, t.port());
    MailflowCheck c = t.check(MailflowCheck.class);
    assertNull(c.smtp().login());
    assertEquals(143, c.imap().port());
    assertEquals(TlsMode.STARTTLS, c.imap().tlsMode());
    assertEquals("INBOX", c.imap().mailbox());
    assertEquals(MailflowCheck.DEFAULT_DEADLINE_MS, c.deadlineMs());
    assertNull(c.degradedAfterMs());
  }

  private Target load(String yaml) throws Exception {
    Path shared = Files.writeString(tmp.resolve("quorate.yaml"), yaml);
    return loader.load(shared, null).shared().targets().get(0);
  }
}
