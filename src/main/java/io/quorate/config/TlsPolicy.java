package io.quorate.config;

/**
 * How a probe judges a TLS session (used by http, tls, smtp, imap, pop3 and tcp targets).
 *
 * @param verify check the chain against the trust store and the name against the certificate;
 *     {@code false} still reports expiry but accepts any chain and name
 * @param serverName SNI and the name to verify; {@code null} = the target's service name
 * @param caFile PEM file of extra trust anchors; {@code null} = the JVM's default trust store
 * @param warnDays fewer days left than this turns UP into DEGRADED
 * @param criticalDays fewer days left than this is DOWN
 * @param minVersion lowest acceptable negotiated protocol, e.g. {@code TLSv1.2}
 */
public record TlsPolicy(
    boolean verify,
    String serverName,
    String caFile,
    int warnDays,
    int criticalDays,
    String minVersion) {

  public static final int DEFAULT_WARN_DAYS = 21;
  public static final int DEFAULT_CRITICAL_DAYS = 7;
  public static final String DEFAULT_MIN_VERSION = "TLSv1.2";
  public static final TlsPolicy DEFAULT =
      new TlsPolicy(
          true, null, null, DEFAULT_WARN_DAYS, DEFAULT_CRITICAL_DAYS, DEFAULT_MIN_VERSION);

  public TlsPolicy withServerName(String name) {
    return new TlsPolicy(verify, name, caFile, warnDays, criticalDays, minVersion);
  }

  public TlsPolicy withVerify(boolean v) {
    return new TlsPolicy(v, serverName, caFile, warnDays, criticalDays, minVersion);
  }

  public TlsPolicy withCaFile(String file) {
    return new TlsPolicy(verify, serverName, file, warnDays, criticalDays, minVersion);
  }
}
