package io.quorate.probe;

import java.time.Instant;

/**
 * What a probe learned about the TLS session it made: reported on every TLS port, whether the probe
 * passed or not.
 *
 * @param protocol negotiated version, e.g. {@code TLSv1.3}
 * @param cipherSuite negotiated cipher suite
 * @param subject the leaf certificate's subject DN
 * @param issuer the leaf certificate's issuer DN
 * @param notAfter when the leaf certificate expires
 * @param daysLeft whole days until {@code notAfter} (negative once expired)
 */
public record TlsInfo(
    String protocol,
    String cipherSuite,
    String subject,
    String issuer,
    Instant notAfter,
    long daysLeft) {}
