package io.quorate.cli;

import io.quorate.config.MailflowCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code mailflow} options of {@code quorate probe}: a tagged message submitted over SMTP to
 * the target and looked for over IMAP. The SMTP side uses the general options ({@code --port},
 * {@code --tls-mode}, {@code --user}, {@code --password-env|--password-file}); the IMAP side
 * defaults to the same address, user and password. TLS options apply to both sides.
 */
final class MailflowOptions {
  @Option(names = "--from", description = "mailflow: envelope and header sender")
  String from;

  @Option(names = "--to", description = "mailflow: recipient whose mailbox is read over IMAP")
  String to;

  @Option(names = "--imap-address", description = "mailflow: IMAP server (default: the address)")
  String imapAddress;

  @Option(names = "--imap-port", description = "mailflow: IMAP port (default 143, 993 implicit)")
  Integer imapPort;

  @Option(
      names = "--imap-tls-mode",
      description = "mailflow: IMAP none, starttls, implicit (default by port)")
  String imapTlsMode;

  @Option(names = "--imap-user", description = "mailflow: IMAP login (default: --user)")
  String imapUser;

  @Option(
      names = "--imap-password-env",
      description = "mailflow: variable holding the IMAP password (default: the SMTP one)")
  String imapPasswordEnv;

  @Option(
      names = "--imap-password-file",
      description = "mailflow: file (mode 0600) holding the IMAP password")
  String imapPasswordFile;

  @Option(names = "--mailbox", description = "mailflow: IMAP mailbox (default INBOX)")
  String mailbox;

  @Option(
      names = "--deadline-ms",
      description = "mailflow: time for the message to arrive (default 30000)")
  Long deadlineMs;

  @Option(names = "--degraded-after-ms", description = "mailflow: slower arrival is DEGRADED")
  Long degradedAfterMs;

  /** Whether any mailflow-only option was given (they are refused for other types). */
  boolean any() {
    return from != null
        || to != null
        || imapAddress != null
        || imapPort != null
        || imapTlsMode != null
        || imapUser != null
        || imapPasswordEnv != null
        || imapPasswordFile != null
        || mailbox != null
        || deadlineMs != null
        || degradedAfterMs != null;
  }

  /** The target timeout when {@code --timeout-ms} is not given: the deadline plus the margin. */
  long defaultTimeoutMs() {
    long deadline = deadlineMs == null ? MailflowCheck.DEFAULT_DEADLINE_MS : deadlineMs;
    return deadline + MailflowCheck.MARGIN_MS;
  }

  /**
   * The {@code mailflow:} block.
   *
   * @param smtp the SMTP side built from the general options ({@code tlsMode}, {@code login},
   *     {@code tls})
   * @param address the target's address, the IMAP server's by default
   * @param smtpLogin the SMTP login map, whose user and password the IMAP side inherits
   */
  Map<String, Object> block(
      Map<String, Object> smtp, String address, Map<String, Object> smtpLogin) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("smtp", smtp);
    ProbeOptions.putIf(b, "from", from);
    ProbeOptions.putIf(b, "to", to);
    Map<String, Object> imap = new LinkedHashMap<>();
    imap.put("address", imapAddress == null ? address : imapAddress);
    ProbeOptions.putIf(imap, "port", imapPort);
    ProbeOptions.putIf(imap, "tlsMode", imapTlsMode);
    Map<String, Object> login =
        ProbeOptions.login(
            imapUser != null ? imapUser : smtpLogin == null ? null : smtpLogin.get("username"),
            imapPasswordEnv,
            imapPasswordFile);
    if (login != null && imapPasswordEnv == null && imapPasswordFile == null && smtpLogin != null) {
      login.put("password", smtpLogin.get("password"));
    }
    ProbeOptions.putIf(imap, "login", login);
    ProbeOptions.putIf(imap, "mailbox", mailbox);
    ProbeOptions.putIf(imap, "tls", smtp.get("tls"));
    b.put("imap", imap);
    ProbeOptions.putIf(b, "deadlineMs", deadlineMs);
    ProbeOptions.putIf(b, "degradedAfterMs", degradedAfterMs);
    return b;
  }
}
