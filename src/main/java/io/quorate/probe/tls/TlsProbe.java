package io.quorate.probe.tls;

import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.config.TlsCheck;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Failures;
import io.quorate.probe.Outcome;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeGuard;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS probe: TCP connect, then a TLS handshake with SNI (RFC 6066 §3) set to the policy's server
 * name or, failing that, the target address (IP literals are never sent as SNI), judged by {@link
 * TlsVerifier}: chain, name, expiry (warn → DEGRADED, critical → DOWN) and minimum version. The
 * connect and the handshake are timed separately ({@code connectMs}, {@code tlsMs}); facts are
 * {@code protocol}, {@code cipher} and {@code daysLeft}. Nothing is sent after the handshake.
 */
public final class TlsProbe implements Probe {
  private final ProbeContext ctx;
  private final NetClient client;

  public TlsProbe(ProbeContext ctx) {
    this.ctx = ctx;
    this.client = ctx.vertx().createNetClient(new NetClientOptions());
  }

  @Override
  public ProbeType type() {
    return ProbeType.TLS;
  }

  @Override
  public Future<ProbeResult> run(Target target) {
    return ProbeGuard.onEventLoop(ctx, target, "tls-probe", () -> new Attempt(target).start());
  }

  /** Closes the shared client (on shutdown). */
  public Future<Void> close() {
    return client.close();
  }

  /** One probe run; started on an event-loop context, so all its callbacks run on that thread. */
  private final class Attempt {
    private final Target target;
    private final TlsPolicy policy;
    private final long startNanos = System.nanoTime();
    private final java.time.Instant startedAt = ctx.clock().instant();
    private final Promise<ProbeResult> promise = Promise.promise();
    private Future<NetSocket> connecting;
    private String phase = "connect";
    private Double connectMs;
    private Double tlsMs;
    private long timerId = -1;
    private boolean done;

    Attempt(Target target) {
      this.target = target;
      TlsPolicy p = target.check() instanceof TlsCheck c ? c.policy() : null;
      this.policy = p == null ? TlsPolicy.DEFAULT : p;
    }

    Future<ProbeResult> start() {
      long timeout = Math.max(1, target.timeoutMs());
      timerId =
          ctx.vertx()
              .setTimer(
                  timeout,
                  id ->
                      finish(
                          result(
                              Outcome.DOWN,
                              ErrorKind.TIMEOUT,
                              phase + ": timed out after " + timeout + " ms",
                              null)));
      ConnectOptions o =
          new ConnectOptions()
              .setRemoteAddress(SocketAddress.inetSocketAddress(target.port(), target.address()))
              .setTimeout((int) Math.min(Integer.MAX_VALUE, timeout));
      long t0 = System.nanoTime();
      connecting = client.connect(o);
      connecting
          .compose(
              so -> {
                connectMs = Timings.millisBetween(t0, System.nanoTime());
                return handshake(so);
              })
          .onComplete(ar -> finish(ar.succeeded() ? ar.result() : classify(ar.cause())));
      return promise.future();
    }

    private Future<ProbeResult> handshake(NetSocket so) {
      phase = "TLS handshake";
      String name = policy.serverName() != null ? policy.serverName() : target.address();
      String sni = HostnameMatcher.isIpLiteral(name) ? null : name;
      long remaining =
          Math.max(1, target.timeoutMs() - (System.nanoTime() - startNanos) / 1_000_000L);
      ClientSSLOptions ssl =
          TlsVerifier.clientOptions()
              .setSslHandshakeTimeout(remaining)
              .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
      long t0 = System.nanoTime();
      return so.upgradeToSsl(ssl, sni)
          .map(
              v -> {
                tlsMs = Timings.millisBetween(t0, System.nanoTime());
                TlsVerifier.Judgement j = ctx.tls().judge(chain(so), so.sslSession(), policy, name);
                return result(j.outcome(), j.errorKind(), j.isUp() ? "TLS OK" : j.detail(), j);
              });
    }

    private ProbeResult classify(Throwable t) {
      Failures.Classified c = Failures.classify(phase, t);
      return result(Outcome.DOWN, c.kind(), c.detail(), null);
    }

    private ProbeResult result(Outcome o, ErrorKind k, String detail, TlsVerifier.Judgement j) {
      Map<String, String> facts = new LinkedHashMap<>();
      if (j != null && j.info() != null) {
        putIfSet(facts, "protocol", j.info().protocol());
        putIfSet(facts, "cipher", j.info().cipherSuite());
        facts.put("daysLeft", Long.toString(j.info().daysLeft()));
      }
      Timings t =
          new Timings(connectMs, tlsMs, null, Timings.millisBetween(startNanos, System.nanoTime()));
      return new ProbeResult(
          target.id(), o, k, detail, startedAt, t, j == null ? null : j.info(), facts);
    }

    /** Completes once, after the socket (connected or still connecting) is closed. */
    private void finish(ProbeResult r) {
      if (done) {
        return;
      }
      done = true;
      ctx.vertx().cancelTimer(timerId);
      connecting
          .transform(ar -> ar.succeeded() ? ar.result().close() : Future.succeededFuture())
          .onComplete(ar -> promise.tryComplete(r));
    }
  }

  private static void putIfSet(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  private static List<Certificate> chain(NetSocket so) {
    try {
      return so.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
