package io.quorate.probe.http;

import io.netty.util.NetUtil;
import io.quorate.config.HttpCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeGuard;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * HTTP(S) probe: one fresh connection per probe to the target's own address, the service name as
 * Host and SNI, TLS judged by {@link io.quorate.probe.tls.TlsVerifier} before the request is sent,
 * then status, body and header assertions ({@link HttpCheck}).
 *
 * <p>Timings: {@code connectMs} is TCP connect <em>including</em> the TLS handshake for https (the
 * Vert.x HTTP client performs both inside one connect and offers no hook between them), so {@code
 * tlsMs} stays {@code null}; the {@code tls} probe type measures the handshake alone. {@code
 * firstByteMs} runs from sending the request to receiving the response headers. With redirects
 * followed, connect and first-byte times are summed over the hops.
 *
 * <p>Each https hop uses {@link HttpClientAgent#connect} (an unpooled connection, keep-alive off);
 * each plain-http hop to an IP address a bare Netty channel with Netty's HTTP/1.1 codec ({@link
 * PlainLink}, the same request and limits at about half the CPU). The exchange closes every
 * connection itself: none is ever reused, so every probe really tests connect and TLS.
 */
public final class HttpProbe implements Probe {
  private final ProbeContext ctx;
  private final HttpClientAgent client;
  private final HttpAssertions assertions = new HttpAssertions();

  public HttpProbe(ProbeContext ctx) {
    this.ctx = ctx;
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setKeepAlive(false)
            .setUseAlpn(false)
            .setForceSni(true)
            .setDecompressionSupported(false);
    this.client = ctx.vertx().httpClientBuilder().with(options).build();
  }

  @Override
  public ProbeType type() {
    return ProbeType.HTTP;
  }

  @Override
  public Future<ProbeResult> run(Target target) {
    if (!(target.check() instanceof HttpCheck)) {
      return Future.succeededFuture(
          ProbeResult.down(
              target.id(),
              ErrorKind.INTERNAL,
              "not an http target",
              ctx.clock().instant(),
              Timings.total(0)));
    }
    return ProbeGuard.onEventLoop(
        ctx,
        target,
        "http-probe",
        () -> new HttpExchange(ctx, this::connect, assertions, target).start());
  }

  /**
   * Plain http to an IP address goes over a bare Netty channel ({@link PlainLink}); https, and a
   * redirect to a host name (resolved by the Vert.x client's resolver), over the Vert.x client.
   */
  private Future<HopLink> connect(HttpHop hop, String sni, long remainingMs) {
    byte[] ip = hop.https() ? null : NetUtil.createByteArrayFromIpAddressString(hop.connectHost());
    if (ip == null) {
      return VertxLink.connect(client, hop, sni, remainingMs);
    }
    InetSocketAddress server;
    try {
      server = new InetSocketAddress(InetAddress.getByAddress(ip), hop.port());
    } catch (UnknownHostException e) { // only for a wrong length
      return Future.failedFuture(e);
    }
    return PlainLink.connect((VertxInternal) ctx.vertx(), server, remainingMs);
  }

  /** Closes the shared client (on shutdown). */
  public Future<Void> close() {
    return client.close();
  }
}
