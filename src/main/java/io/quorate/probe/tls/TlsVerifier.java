package io.quorate.probe.tls;

import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.TlsInfo;
import io.vertx.core.net.ClientSSLOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Judges a TLS session the same way for every probe type: expiry (warn / critical days), chain (JVM
 * trust store or a CA file), name (RFC 6125 SAN matching) and minimum protocol version.
 *
 * <p>Probes connect with {@link #clientOptions()} (accepting any chain) and then call {@link
 * #judge}: so an expired or wrong-name certificate is still <em>reported</em> (subject, expiry,
 * days left) instead of ending in an opaque handshake failure. Nothing but the handshake has been
 * sent when the judgement is made, so a probe that fails it sends no request or credentials.
 */
public final class TlsVerifier {
  private static final List<String> VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private final Clock clock;
  private final Map<String, X509TrustManager> trustManagers = new ConcurrentHashMap<>();
  private final Map<String, String> loadFailures = new ConcurrentHashMap<>();

  /** The judgement: outcome UP, DEGRADED (expiring) or DOWN, with facts for the result. */
  public record Judgement(Outcome outcome, ErrorKind errorKind, String detail, TlsInfo info) {
    public boolean isUp() {
      return outcome == Outcome.UP;
    }
  }

  public TlsVerifier(Clock clock) {
    this.clock = clock;
  }

  /** Client TLS options for probes: trust anything at handshake time; {@link #judge} decides. */
  public static ClientSSLOptions clientOptions() {
    return new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
  }

  /**
   * Judges the session.
   *
   * @param chain the peer's certificates, leaf first
   * @param session the SSL session (for protocol and cipher); may be {@code null}
   * @param policy the target's TLS policy
   * @param serviceName the name to verify when the policy names none
   */
  public Judgement judge(
      List<Certificate> chain, SSLSession session, TlsPolicy policy, String serviceName) {
    if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate)) {
      return new Judgement(Outcome.DOWN, ErrorKind.CERTIFICATE, "no server certificate", null);
    }
    X509Certificate leaf = (X509Certificate) chain.get(0);
    Instant now = clock.instant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    long daysLeft = Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
    String protocol = session == null ? null : session.getProtocol();
    TlsInfo info =
        new TlsInfo(
            protocol,
            session == null ? null : session.getCipherSuite(),
            leaf.getSubjectX500Principal().getName(),
            leaf.getIssuerX500Principal().getName(),
            notAfter,
            daysLeft);
    String name = policy.serverName() != null ? policy.serverName() : serviceName;

    if (now.isAfter(notAfter)) {
      // daysLeft is floored (negative from the first second); "ago" counts whole days elapsed
      long daysAgo = Duration.between(notAfter, now).toSeconds() / 86_400L;
      return down(info, "certificate expired " + notAfter + " (" + daysAgo + " days ago)");
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      return down(info, "certificate not valid before " + leaf.getNotBefore().toInstant());
    }
    if (policy.verify()) {
      String chainProblem = checkChain(chain, policy.caFile());
      if (chainProblem != null) {
        return down(info, "untrusted certificate chain: " + chainProblem);
      }
      if (name != null && !HostnameMatcher.matches(leaf, name)) {
        return down(
            info,
            "certificate is not valid for "
                + name
                + " (names: "
                + HostnameMatcher.names(leaf)
                + ")");
      }
    }
    if (protocol != null
        && policy.minVersion() != null
        && VERSIONS.indexOf(protocol) < VERSIONS.indexOf(policy.minVersion())) {
      return new Judgement(
          Outcome.DOWN,
          ErrorKind.TLS,
          "negotiated " + protocol + ", below minimum " + policy.minVersion(),
          info);
    }
    if (daysLeft < policy.criticalDays()) {
      return down(
          info,
          "certificate expires in "
              + daysLeft
              + " days (critical below "
              + policy.criticalDays()
              + ")");
    }
    if (daysLeft < policy.warnDays()) {
      return new Judgement(
          Outcome.DEGRADED,
          ErrorKind.CERTIFICATE,
          "certificate expires in " + daysLeft + " days (warning below " + policy.warnDays() + ")",
          info);
    }
    return new Judgement(Outcome.UP, null, "", info);
  }

  private static Judgement down(TlsInfo info, String detail) {
    return new Judgement(Outcome.DOWN, ErrorKind.CERTIFICATE, detail, info);
  }

  /**
   * Checks the chain against the CA file's anchors and, as {@link TlsPolicy#caFile()} promises
   * "extra" anchors, also against the JVM's default trust store; the CA file's complaint is the one
   * reported.
   */
  private String checkChain(List<Certificate> chain, String caFile) {
    X509Certificate[] x509 =
        chain.stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
    String problem = checkWith(caFile, x509);
    if (problem != null && caFile != null && checkWith(null, x509) == null) {
      return null;
    }
    return problem;
  }

  private String checkWith(String caFile, X509Certificate[] x509) {
    try {
      // "UNKNOWN": the auth type JSSE itself passes for TLS 1.3 (no key-exchange-based KU check)
      trustManager(caFile).checkServerTrusted(x509, "UNKNOWN");
      return null;
    } catch (CertificateException e) {
      return e.getMessage();
    } catch (GeneralSecurityException | IOException e) {
      return "cannot load trust anchors: " + e.getMessage();
    }
  }

  private X509TrustManager trustManager(String caFile)
      throws GeneralSecurityException, IOException {
    String key = caFile == null ? "" : caFile;
    X509TrustManager tm = trustManagers.get(key);
    if (tm == null) {
      String failed = loadFailures.get(key);
      if (failed != null) {
        // a broken CA file is not re-read on every probe (and never on the event loop twice)
        throw new GeneralSecurityException(failed);
      }
      try {
        tm = load(caFile);
      } catch (GeneralSecurityException | IOException e) {
        loadFailures.put(key, String.valueOf(e.getMessage()));
        throw e;
      }
      trustManagers.put(key, tm);
    }
    return tm;
  }

  /**
   * Loads the JVM trust store and every given CA file now, so that probes on the event loop never
   * read files. Call it from a thread that may block (agent start-up). Failures are kept and
   * reported by the probes that use that file.
   */
  public void preload(java.util.Collection<String> caFiles) {
    java.util.Set<String> all = new java.util.HashSet<>(caFiles);
    all.add(null);
    for (String f : all) {
      try {
        trustManager(f);
      } catch (GeneralSecurityException | IOException e) {
        // remembered in loadFailures
      }
    }
  }

  private static X509TrustManager load(String caFile) throws GeneralSecurityException, IOException {
    KeyStore ks = null;
    if (caFile != null) {
      ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      try (InputStream in = Files.newInputStream(Path.of(caFile))) {
        int i = 0;
        for (Certificate c : cf.generateCertificates(in)) {
          ks.setCertificateEntry("ca-" + i++, c);
        }
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }
}
