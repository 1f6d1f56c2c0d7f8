package io.quorate.config;

/**
 * POP3: {@code +OK} greeting, CAPA, STLS, optional USER/PASS and STAT.
 *
 * @param tlsMode none / starttls (required) / opportunistic / implicit
 * @param login when non-null, USER/PASS must succeed and STAT answer {@code +OK}
 * @param tls TLS policy for the upgraded or implicit session
 */
public record Pop3Check(TlsMode tlsMode, Login login, TlsPolicy tls) implements Check {}
