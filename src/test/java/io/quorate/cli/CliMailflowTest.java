package io.quorate.cli;

import static io.quorate.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.MailFlowLab;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quorate probe mailflow} against real mail: a message submitted to Postfix (STARTTLS, SASL
 * AUTH) is delivered into Dovecot and found over IMAP; the password comes from a 0600 file; a
 * recipient Postfix refuses is DOWN; mailflow-only options on another type are a usage error.
 */
class CliMailflowTest {
  private static MailFlowLab lab;
  @TempDir static Path dir;
  private static Path password;

  @BeforeAll
  static void startLab() throws Exception {
    lab = MailFlowLab.start();
    password =
        Files.writeString(
            dir.resolve("password"), MailFlowLab.PASSWORD, java.nio.charset.StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  private static List<String> flow(String to, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "probe",
                "mailflow",
                "127.0.0.1",
                "--port",
                String.valueOf(lab.submissionPort),
                "--tls-mode",
                "starttls",
                "--user",
                "probe@" + MailFlowLab.DOMAIN,
                "--password-file",
                password.toString(),
                "--ca-file",
                lab.caFile().toString(),
                "--server-name",
                "localhost",
                "--from",
                "probe@" + MailFlowLab.DOMAIN,
                "--to",
                to,
                "--imap-port",
                String.valueOf(lab.imapPort),
                "--imap-tls-mode",
                "starttls",
                "--imap-user",
                to,
                "--deadline-ms",
                "15000"));
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void aMessageThatArrivesIsUpAndTheImapSideInheritsThePasswordFile() {
    String to = "cli-flow@" + MailFlowLab.DOMAIN;
    CliTest.Run r = run(flow(to, "--json").toArray(String[]::new));
    assertEquals(0, r.code(), r.out() + r.err());
    JsonObject j = new JsonObject(r.out());
    assertEquals("UP", j.getString("outcome"), r.out());
    JsonObject facts = j.getJsonObject("facts");
    assertEquals("1", facts.getString("deleted"), "found over IMAP, then deleted: " + facts);
    assertTrue(Long.parseLong(facts.getString("deliveryMs")) >= 0, facts.encode());
    assertEquals("ok", facts.getString("starttls"), facts.encode());
  }

  @Test
  void aRecipientThePostfixRefusesIsDown() {
    CliTest.Run r = run(flow(MailFlowLab.REFUSED).toArray(String[]::new));
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("DOWN mailflow 127.0.0.1:" + lab.submissionPort), r.out());
  }

  @Test
  void mailflowOptionsOnAnotherTypeAreAUsageError() {
    CliTest.Run r = run("probe", "smtp", "127.0.0.1", "--to", "a@example.test");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("apply to mailflow only"), r.err());
  }

  @Test
  void aMissingRecipientIsAUsageErrorNamingTheOption() {
    CliTest.Run r = run("probe", "mailflow", "127.0.0.1", "--from", "a@example.test");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("invalid probe options: mailflow.to: required"), r.err());
  }
}
