package io.quorate.config;

/**
 * SMTP: banner, EHLO, STARTTLS (or implicit TLS), EHLO again, optional AUTH.
 *
 * @param tlsMode none / starttls (required) / opportunistic / implicit
 * @param ehloName the name we announce in EHLO
 * @param requireAuth the AUTH capability must be advertised (after TLS)
 * @param login when non-null, AUTH PLAIN with these credentials must succeed
 * @param tls TLS policy for the upgraded or implicit session
 */
public record SmtpCheck(
    TlsMode tlsMode, String ehloName, boolean requireAuth, Login login, TlsPolicy tls)
    implements Check {
  public static final String DEFAULT_EHLO_NAME = "probe.quorate.invalid";
}
