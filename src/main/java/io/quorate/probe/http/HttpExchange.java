package io.quorate.probe.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
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
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One run of the HTTP probe against one target: connect (and TLS), judge the certificate before
 * anything is sent, send the request, read a capped body, follow redirects when asked, assert.
 * Everything runs on one Vert.x context, so the state below needs no locking. The overall deadline
 * ({@link Target#timeoutMs()}) ends whatever phase is running; every connection is closed before
 * the result completes.
 */
final class HttpExchange implements HopLink.Events {
  private static final String USER_AGENT = "Quorate-Probe/0.1";

  /**
   * Opens the connection of one hop: TLS with {@code sni} for https, within {@code remainingMs}.
   */
  @FunctionalInterface
  interface Connector {
    Future<HopLink> connect(HttpHop hop, String sni, long remainingMs);
  }

  private final ProbeContext ctx;
  private final Connector connector;
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
  private Future<HopLink> pendingConnect;
  private HopLink conn;
  private Future<Void> closing = Future.succeededFuture();
  private Double connectMs;
  private Double firstByteMs;
  private TlsInfo tlsInfo;
  private TlsVerifier.Judgement tlsWarning;
  private final Map<String, String> facts = new LinkedHashMap<>();
  private int redirects;

  /** Every hop over {@code client} (the Vert.x HTTP client). */
  HttpExchange(ProbeContext ctx, HttpClientAgent client, HttpAssertions assertions, Target target) {
    this(ctx, (hop, sni, ms) -> VertxLink.connect(client, hop, sni, ms), assertions, target);
  }

  HttpExchange(ProbeContext ctx, Connector connector, HttpAssertions assertions, Target target) {
    this.ctx = ctx;
    this.connector = connector;
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
              String location = answer.headers().get(io.vertx.core.http.HttpHeaders.LOCATION);
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
        .compose(c -> send(hop, c));
  }

  private Future<HopLink> connect(HttpHop hop) {
    if (done) { // the deadline passed while the previous hop was closing: open nothing more
      return Future.failedFuture(new HttpProbeException(ErrorKind.TIMEOUT, "deadline passed"));
    }
    phase = hop.https() ? "connect/TLS handshake" : "connect";
    long t0 = System.nanoTime();
    String sni =
        hop.sameOrigin() && policy.serverName() != null ? policy.serverName() : hop.hostName();
    Future<HopLink> f = connector.connect(hop, sni, remainingMs());
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
  private Future<HopLink> vet(HttpHop hop, HopLink c) {
    String peer = c.peerHost();
    if (!hop.sameOrigin() && peer != null && Redirects.isForbidden(peer)) {
      return Future.failedFuture(
          new HttpProbeException(
              ErrorKind.ASSERTION, "redirect to link-local/metadata address refused: " + peer));
    }
    if (!hop.https()) {
      return Future.succeededFuture(c);
    }
    phase = "TLS judgement";
    TlsPolicy p = hop.sameOrigin() ? policy : policy.withServerName(null);
    TlsVerifier.Judgement j = ctx.tls().judge(c.peerChain(), c.sslSession(), p, hop.hostName());
    tlsInfo = j.info();
    if (j.outcome() == Outcome.DOWN) {
      return Future.failedFuture(new HttpProbeException(j.errorKind(), j.detail()));
    }
    if (j.outcome() == Outcome.DEGRADED && tlsWarning == null) {
      tlsWarning = j;
    }
    return Future.succeededFuture(c);
  }

  /** Sends the hop's request (User-Agent, the check's headers, Host) and reads the answer. */
  private Future<HttpAnswer> send(HttpHop hop, HopLink c) {
    phase = "waiting for response headers";
    String method = check.method() == null || check.method().isBlank() ? "GET" : check.method();
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(io.vertx.core.http.HttpHeaders.USER_AGENT, USER_AGENT);
    if (check.requestHeaders() != null) {
      check.requestHeaders().forEach(headers::set);
    }
    headers.set(io.vertx.core.http.HttpHeaders.HOST, hop.hostHeader());
    int max = check.maxBodyBytes() > 0 ? check.maxBodyBytes() : HttpCheck.DEFAULT_MAX_BODY_BYTES;
    return c.exchange(HttpMethod.valueOf(method), hop.path(), headers, max, this);
  }

  @Override
  public void head(int status, String httpVersion, double hopFirstByteMs) {
    phase = "reading body";
    firstByteMs = add(firstByteMs, hopFirstByteMs);
    facts.put("status", Integer.toString(status));
    facts.put("httpVersion", httpVersion);
    facts.put("bodyBytes", "0");
  }

  @Override
  public void bodyBytes(long n) {
    facts.put("bodyBytes", Long.toString(n));
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
   * Closes the current connection (resetting a request still in flight); with no connection open,
   * the close still in progress (if any) is what there is to wait for.
   */
  private Future<Void> closeCurrent() {
    HopLink c = conn;
    conn = null;
    if (c != null) {
      closing = c.close();
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
