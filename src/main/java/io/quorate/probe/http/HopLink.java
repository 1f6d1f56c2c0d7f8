package io.quorate.probe.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * One open connection of one hop of an HTTP probe, whatever carries it: the Vert.x HTTP client
 * ({@link VertxLink}, every https hop) or a bare Netty channel with Netty's HTTP/1.1 codec ({@link
 * PlainLink}, plain http to an IP address). {@link HttpExchange} drives both the same way: vet the
 * peer, send one request, read the capped answer, close.
 */
interface HopLink {
  /** What the exchange hears while the answer arrives (on the exchange's event loop). */
  interface Events {
    /** The final response head arrived {@code firstByteMs} after the request was sent. */
    void head(int status, String httpVersion, double firstByteMs);

    /** The body bytes announced (Content-Length over the cap) or seen so far. */
    void bodyBytes(long n);
  }

  /** The peer's IP address as text, or {@code null} when unknown. */
  String peerHost();

  /** The peer's certificate chain (TLS links only; empty when there is none). */
  List<Certificate> peerChain();

  /** The TLS session, or {@code null} for a plain link. */
  SSLSession sslSession();

  /**
   * Sends one request (the headers in the order given) and reads the answer: the final head, then
   * at most {@code maxBody} bytes of body ({@link CappedBody}).
   */
  Future<HttpAnswer> exchange(
      HttpMethod method, String path, HttpHeaders headers, int maxBody, Events events);

  /** Resets a request still in flight and closes the connection; never fails. */
  Future<Void> close();
}
