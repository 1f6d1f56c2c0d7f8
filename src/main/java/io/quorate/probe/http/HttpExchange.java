package io.quorate.probe.http;

import io.quorate.config.HttpCheck;
import io.quorate.config.Target;
import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Failures;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.quorate.probe.TlsInfo;
import io.quorate.probe.tls.TlsVerifier;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One run of the HTTP probe against one target: connect (and TLS), judge the certificate before
 * anything is sent, send the request, read a capped body, follow redirects when asked, assert.
 * Everything runs on one Vert.x context, so the state below needs no locking. The overall deadline
 * ({@link Target#timeoutMs()}) ends whatever phase is running; every connection is closed before
 * the result completes.
 */
final class HttpExchange {
  private static final String USER_AGENT = "Quorate-Probe/0.1";

  private final ProbeContext ctx;
  private final HttpClientAgent client;
  private final HttpAssertions assertions;
  private final Target target;
  private final HttpCheck check;
  private final TlsPolicy policy;
  private final Promise<ProbeResult> promise = Promise.promise();
  private final Instant startedAt;
  private final long startNanos = System.nanoTime();
  private final Set<String> visited = new HashSet<>();

  private long timerId = -1;
  private boolean done;
  private String phase = "connect";
  private Future<HttpClientConnection> pendingConnect;
  private HttpClientConnection conn;
  private Future<Void> closing = Future.succeededFuture();
  private HttpClientRequest inFlight;
  private Double connectMs;
  private Double firstByteMs;
  private TlsInfo tlsInfo;
  private TlsVerifier.Judgement tlsWarning;
  private final Map<String, String> facts = new LinkedHashMap<>();
  private int redirects;

  HttpExchange(ProbeContext ctx, HttpClientAgent client, HttpAssertions assertions, Target target) {
    this.ctx = ctx;
    this.client = client;
    this.assertions = assertions;
    this.target = target;
    this.check = target.check(HttpCheck.class);
    this.policy = check.tls() == null ? TlsPolicy.DEFAULT : check.tls();
    this.startedAt = ctx.clock().instant();
  }

  /** Starts the exchange; must be called on the Vert.x context that will run it. */
  Future<ProbeResult> start() {
    timerId = ctx.vertx().setTimer(Math.max(1, target.timeoutMs()), id -> onDeadline());
    HttpHop first = HttpHop.first(target, check);
    follow(first, first)
        .onComplete(ar -> finish(ar.succeeded() ? evaluate(ar.result()) : failure(ar.cause())));
    return promise.future();
  }

  private Future<HttpAnswer> follow(HttpHop hop, HttpHop origin) {
    visited.add(hop.url());
    return exchange(hop)
        .compose(
            answer -> {
              String location = answer.headers().get(HttpHeaders.LOCATION);
              if (!check.followRedirects()
                  || !Redirects.isRedirect(answer.status())
                  || location == null) {
                return Future.succeededFuture(answer);
              }
              try {
                HttpHop next = nextHop(hop, origin, location);
                redirects++;
                facts.put("redirects", Integer.toString(redirects));
                return follow(next, origin);
              } catch (HttpProbeException e) {
                return Future.failedFuture(e);
              }
            });
  }

  private HttpHop nextHop(HttpHop hop, HttpHop origin, String location) throws HttpProbeException {
    int max = check.maxRedirects() > 0 ? check.maxRedirects() : HttpCheck.DEFAULT_MAX_REDIRECTS;
    HttpHop next = Redirects.next(hop, origin, location);
    if (visited.contains(next.url())) {
      throw new HttpProbeException(ErrorKind.ASSERTION, "redirect loop: " + next.url());
    }
    if (redirects >= max) {
      throw new HttpProbeException(ErrorKind.ASSERTION, "more than " + max + " redirects");
    }
    return next;
  }

  private Future<HttpAnswer> exchange(HttpHop hop) {
    return closeCurrent()
        .compose(v -> connect(hop))
        .compose(c -> vet(hop, c))
        .compose(c -> send(hop, c))
        .compose(this::read);
  }

  private Future<HttpClientConnection> connect(HttpHop hop) {
    if (done) { // the deadline passed while the previous hop was closing: open nothing more
      return Future.failedFuture(new HttpProbeException(ErrorKind.TIMEOUT, "deadline passed"));
    }
    phase = hop.https() ? "connect/TLS handshake" : "connect";
    long t0 = System.nanoTime();
    long remaining = remainingMs();
    String sni =
        hop.sameOrigin() && policy.serverName() != null ? policy.serverName() : hop.hostName();
    HttpConnectOptions o =
        new HttpConnectOptions()
            .setServer(SocketAddress.inetSocketAddress(hop.port(), hop.connectHost()))
            .setHost(sni)
            .setPort(hop.port())
            .setSsl(hop.https())
            .setConnectTimeout(remaining);
    if (hop.https()) {
      o.setSslOptions(
          TlsVerifier.clientOptions()
              .setSslHandshakeTimeout(remaining)
              .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS));
    }
    Future<HttpClientConnection> f = client.connect(o);
    pendingConnect = f;
    return f.compose(
        c -> {
          pendingConnect = null;
          if (done) { // finish() has run: nobody else will close this one
            return c.close()
                .transform(
                    ar -> Future.failedFuture(new HttpProbeException(ErrorKind.TIMEOUT, "late")));
          }
          conn = c;
          connectMs = add(connectMs, Timings.millisBetween(t0, System.nanoTime()));
          return f;
        },
        err -> {
          pendingConnect = null;
          return Future.failedFuture(err);
        });
  }

  /** Refuses a redirected hop that landed on a forbidden address, and judges TLS. */
  private Future<HttpClientConnection> vet(HttpHop hop, HttpClientConnection c) {
    SocketAddress peer = c.remoteAddress();
    if (!hop.sameOrigin()
        && peer != null
        && peer.hostAddress() != null
        && Redirects.isForbidden(peer.hostAddress())) {
      return Future.failedFuture(
          new HttpProbeException(
              ErrorKind.ASSERTION,
              "redirect to link-local/metadata address refused: " + peer.hostAddress()));
    }
    if (!hop.https()) {
      return Future.succeededFuture(c);
    }
    phase = "TLS judgement";
    TlsPolicy p = hop.sameOrigin() ? policy : policy.withServerName(null);
    TlsVerifier.Judgement j = ctx.tls().judge(peerChain(c), c.sslSession(), p, hop.hostName());
    tlsInfo = j.info();
    if (j.outcome() == Outcome.DOWN) {
      return Future.failedFuture(new HttpProbeException(j.errorKind(), j.detail()));
    }
    if (j.outcome() == Outcome.DEGRADED && tlsWarning == null) {
      tlsWarning = j;
    }
    return Future.succeededFuture(c);
  }

  private static List<Certificate> peerChain(HttpClientConnection c) {
    try {
      return c.peerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  private Future<HttpClientResponse> send(HttpHop hop, HttpClientConnection c) {
    phase = "waiting for response headers";
    String method = check.method() == null || check.method().isBlank() ? "GET" : check.method();
    RequestOptions ro =
        new RequestOptions().setMethod(HttpMethod.valueOf(method)).setURI(hop.path());
    ro.putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    if (check.requestHeaders() != null) {
      check.requestHeaders().forEach(ro::putHeader);
    }
    ro.putHeader(HttpHeaders.HOST, hop.hostHeader());
    return c.request(ro)
        .compose(
            req -> {
              inFlight = req;
              long t0 = System.nanoTime();
              return req.send()
                  .map(
                      resp -> {
                        firstByteMs =
                            add(firstByteMs, Timings.millisBetween(t0, System.nanoTime()));
                        return resp;
                      });
            });
  }

  private Future<HttpAnswer> read(HttpClientResponse resp) {
    phase = "reading body";
    facts.put("status", Integer.toString(resp.statusCode()));
    facts.put("httpVersion", httpVersion(resp));
    facts.put("bodyBytes", "0");
    int max = check.maxBodyBytes() > 0 ? check.maxBodyBytes() : HttpCheck.DEFAULT_MAX_BODY_BYTES;
    HttpMethod method = resp.request().getMethod();
    return CappedBody.read(resp, method, max, n -> facts.put("bodyBytes", Long.toString(n)))
        .map(
            body -> {
              inFlight = null;
              return new HttpAnswer(
                  resp.statusCode(),
                  httpVersion(resp),
                  resp.headers(),
                  body,
                  firstByteMs == null ? 0 : firstByteMs);
            });
  }

  private static String httpVersion(HttpClientResponse resp) {
    return switch (resp.version()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
      default -> resp.version().name();
    };
  }

  private ProbeResult evaluate(HttpAnswer answer) {
    String failure;
    try {
      failure = assertions.firstFailure(check, answer);
    } catch (IllegalArgumentException e) {
      return result(Outcome.DOWN, ErrorKind.INTERNAL, e.getMessage());
    }
    if (failure != null) {
      return result(Outcome.DOWN, ErrorKind.ASSERTION, failure);
    }
    if (tlsWarning != null) {
      return result(Outcome.DEGRADED, tlsWarning.errorKind(), tlsWarning.detail());
    }
    return result(Outcome.UP, null, "HTTP " + answer.status());
  }

  private ProbeResult failure(Throwable t) {
    if (t instanceof HttpProbeException e) {
      return result(Outcome.DOWN, e.kind(), e.getMessage());
    }
    Failures.Classified c = Failures.classify(phase, t);
    return result(Outcome.DOWN, c.kind(), c.detail());
  }

  private void onDeadline() {
    timerId = -1;
    finish(
        result(
            Outcome.DOWN,
            ErrorKind.TIMEOUT,
            phase + ": timed out after " + target.timeoutMs() + " ms"));
  }

  private ProbeResult result(Outcome outcome, ErrorKind kind, String detail) {
    Timings t =
        new Timings(
            connectMs, null, firstByteMs, Timings.millisBetween(startNanos, System.nanoTime()));
    return new ProbeResult(target.id(), outcome, kind, detail, startedAt, t, tlsInfo, facts);
  }

  /**
   * Completes once: waits for a connect still in flight and for a close still in progress (the
   * previous hop's, at a redirect), closes every connection, then reports.
   */
  private void finish(ProbeResult r) {
    if (done) {
      return;
    }
    done = true;
    if (timerId >= 0) {
      ctx.vertx().cancelTimer(timerId);
    }
    Future<?> pending =
        pendingConnect == null
            ? Future.succeededFuture()
            : pendingConnect.transform(
                ar -> ar.succeeded() ? ar.result().close() : Future.succeededFuture());
    pending.transform(ar -> closeCurrent()).onComplete(ar -> promise.tryComplete(r));
  }

  /**
   * Resets a request still in flight (for HTTP/1.x that closes the connection) and closes the
   * connection; failures to close are ignored, the socket is gone either way. With no connection
   * open, the close still in progress (if any) is what there is to wait for.
   */
  private Future<Void> closeCurrent() {
    HttpClientConnection c = conn;
    HttpClientRequest req = inFlight;
    conn = null;
    inFlight = null;
    if (req != null) {
      req.reset();
    }
    if (c != null) {
      closing = c.close().recover(e -> Future.succeededFuture());
    }
    return closing;
  }

  private long remainingMs() {
    long elapsed = (System.nanoTime() - startNanos) / 1_000_000L;
    return Math.max(1, target.timeoutMs() - elapsed);
  }

  private static Double add(Double sum, double ms) {
    return sum == null ? ms : sum + ms;
  }
}
