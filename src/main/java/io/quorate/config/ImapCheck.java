package io.quorate.config;

/**
 * IMAP: greeting ({@code * OK} or {@code * PREAUTH}), CAPABILITY, STARTTLS, optional LOGIN and
 * SELECT.
 *
 * @param tlsMode none / starttls (required) / opportunistic / implicit
 * @param login when non-null, LOGIN with these credentials must succeed
 * @param mailbox mailbox to SELECT after login (default INBOX)
 * @param tls TLS policy for the upgraded or implicit session
 */
public record ImapCheck(TlsMode tlsMode, Login login, String mailbox, TlsPolicy tls)
    implements Check {
  public static final String DEFAULT_MAILBOX = "INBOX";
}
