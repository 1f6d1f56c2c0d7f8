package io.quorate.probe.mail;

import io.quorate.config.TlsPolicy;
import io.quorate.probe.Outcome;
import io.quorate.probe.tls.TlsVerifier;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager for a client whose socket the probe does not hold (vertx-mail-client): it applies
 * the shared {@link TlsVerifier} judgement during the handshake, refuses a DOWN judgement (so no
 * command, let alone a password, follows), and keeps the judgement for the result. One instance per
 * probe run; it is called on that run's event loop.
 */
final class JudgingTrustManager extends X509ExtendedTrustManager {
  private final TlsVerifier verifier;
  private final TlsPolicy policy;
  private final String serviceName;
  private volatile TlsVerifier.Judgement judgement;

  JudgingTrustManager(TlsVerifier verifier, TlsPolicy policy, String serviceName) {
    this.verifier = verifier;
    this.policy = policy == null ? TlsPolicy.DEFAULT : policy;
    this.serviceName = serviceName;
  }

  /** The last judgement made, or null when no handshake reached certificate checking. */
  TlsVerifier.Judgement judgement() {
    return judgement;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    judge(chain, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    judge(chain, null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    judge(chain, null);
  }

  private void judge(X509Certificate[] chain, javax.net.ssl.SSLSession session)
      throws CertificateException {
    List<java.security.cert.Certificate> certs =
        chain == null ? List.of() : Arrays.asList((java.security.cert.Certificate[]) chain);
    TlsVerifier.Judgement j = verifier.judge(certs, session, policy, serviceName);
    judgement = j;
    if (j.outcome() == Outcome.DOWN) {
      throw new CertificateException(j.detail());
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("client certificates are not checked by a probe");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("client certificates are not checked by a probe");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("client certificates are not checked by a probe");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
