package io.quorate.config;

import java.util.Objects;

/**
 * Mail flow: a uniquely tagged message is sent through the target's SMTP server (its address and
 * port) to {@code to}, looked for over IMAP until {@code deadlineMs} after the server accepted it,
 * and deleted. Found later than {@code degradedAfterMs} is DEGRADED; not found in time is DOWN.
 *
 * @param smtp how to submit the message (TLS mode, EHLO name, optional AUTH, TLS policy)
 * @param from envelope sender and From address
 * @param to envelope recipient; the mailbox the IMAP login reads
 * @param imap where to look for the message
 * @param deadlineMs the longest wait from "accepted" to "found"; the target's {@code timeoutMs}
 *     must be at least this plus {@link #MARGIN_MS}
 * @param degradedAfterMs found later than this is DEGRADED ({@code null}: never)
 */
public record MailflowCheck(
    Smtp smtp, String from, String to, Imap imap, long deadlineMs, Long degradedAfterMs)
    implements Check {

  public static final long DEFAULT_DEADLINE_MS = 30_000;

  /** Time the IMAP login, the SMTP submission and the clean-up get besides the deadline. */
  public static final long MARGIN_MS = 5_000;

  public static final long MAX_DEADLINE_MS = 3_600_000;

  public MailflowCheck {
    Objects.requireNonNull(smtp, "smtp");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(imap, "imap");
  }

  /**
   * The submission side.
   *
   * @param tlsMode none / starttls (required) / opportunistic / implicit
   * @param ehloName the name announced in EHLO
   * @param login when non-null, AUTH with these credentials (RFC 4954) is required
   * @param tls TLS policy for the SMTP session
   */
  public record Smtp(TlsMode tlsMode, String ehloName, Login login, TlsPolicy tls) {}

  /**
   * The mailbox side.
   *
   * @param address IMAP server address
   * @param port IMAP port
   * @param tlsMode none / starttls (required) / opportunistic / implicit
   * @param login LOGIN credentials (required)
   * @param mailbox mailbox to search (default INBOX)
   * @param tls TLS policy for the IMAP session
   */
  public record Imap(
      String address, int port, TlsMode tlsMode, Login login, String mailbox, TlsPolicy tls) {

    /** The same options as an {@link ImapCheck}, for the shared IMAP dialog. */
    public ImapCheck asImapCheck() {
      return new ImapCheck(tlsMode, login, mailbox, tls);
    }
  }
}
