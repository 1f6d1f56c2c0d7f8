package io.quorate.probe.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.quorate.probe.tls.TlsVerifier;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A hop over the Vert.x HTTP client: an unpooled connection from {@link HttpClientAgent#connect}
 * (TCP connect and, for https, the TLS handshake with the hop's SNI name), one request on it.
 */
final class VertxLink implements HopLink {
  private final HttpClientConnection conn;
  private HttpClientRequest inFlight;

  VertxLink(HttpClientConnection conn) {
    this.conn = conn;
  }

  /** Connects to {@code hop} (TLS with {@code sni} for https) within {@code remainingMs}. */
  static Future<HopLink> connect(
      HttpClientAgent client, HttpHop hop, String sni, long remainingMs) {
    HttpConnectOptions o =
        new HttpConnectOptions()
            .setServer(SocketAddress.inetSocketAddress(hop.port(), hop.connectHost()))
            .setHost(sni)
            .setPort(hop.port())
            .setSsl(hop.https())
            .setConnectTimeout(remainingMs);
    if (hop.https()) {
      o.setSslOptions(
          TlsVerifier.clientOptions()
              .setSslHandshakeTimeout(remainingMs)
              .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS));
    }
    return client.connect(o).map(VertxLink::new);
  }

  @Override
  public String peerHost() {
    SocketAddress peer = conn.remoteAddress();
    return peer == null ? null : peer.hostAddress();
  }

  @Override
  public List<Certificate> peerChain() {
    try {
      return conn.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  @Override
  public SSLSession sslSession() {
    return conn.sslSession();
  }

  @Override
  public Future<HttpAnswer> exchange(
      HttpMethod method, String path, HttpHeaders headers, int maxBody, Events events) {
    RequestOptions ro = new RequestOptions().setMethod(method).setURI(path);
    for (Map.Entry<String, String> h : headers) {
      ro.putHeader(h.getKey(), h.getValue());
    }
    return conn.request(ro)
        .compose(
            req -> {
              inFlight = req;
              long t0 = System.nanoTime();
              return req.send()
                  .compose(resp -> read(resp, method, t0, maxBody, events))
                  .onSuccess(a -> inFlight = null);
            });
  }

  private static Future<HttpAnswer> read(
      HttpClientResponse resp, HttpMethod method, long t0, int maxBody, Events events) {
    double firstByteMs = io.quorate.probe.Timings.millisBetween(t0, System.nanoTime());
    String version = httpVersion(resp);
    events.head(resp.statusCode(), version, firstByteMs);
    return CappedBody.read(resp, method, maxBody, events::bodyBytes)
        .map(body -> new HttpAnswer(resp.statusCode(), version, resp.headers(), body, firstByteMs));
  }

  private static String httpVersion(HttpClientResponse resp) {
    return switch (resp.version()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
      default -> resp.version().name();
    };
  }

  /**
   * Resets a request still in flight (for HTTP/1.x that closes the connection) and closes the
   * connection; failures to close are ignored, the socket is gone either way.
   */
  @Override
  public Future<Void> close() {
    HttpClientRequest req = inFlight;
    inFlight = null;
    if (req != null) {
      req.reset();
    }
    return conn.close().recover(e -> Future.succeededFuture());
  }
}
