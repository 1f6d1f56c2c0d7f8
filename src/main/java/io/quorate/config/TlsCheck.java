package io.quorate.config;

/**
 * A TLS handshake: chain, name, days to expiry, negotiated version.
 *
 * @param policy how the session is judged
 */
public record TlsCheck(TlsPolicy policy) implements Check {}
