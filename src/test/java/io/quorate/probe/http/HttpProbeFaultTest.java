package io.quorate.probe.http;

import static io.quorate.probe.ProbeAssert.assertResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad HTTP peers nginx will not imitate, scripted with an in-process NetServer on port 0: endless
 * trickled bodies, garbage instead of HTTP, silence after accept, bodies cut short. Each test also
 * proves the probe closed its socket (the server sees the close) by the time the result arrived.
 */
@ExtendWith(VertxExtension.class)
class HttpProbeFaultTest {
  private static final long TIMEOUT_MS = 600;

  /** Scheduling slack on a busy 2-core CI machine; the probe itself adds no waiting. */
  private static final long MARGIN_MS = 400;

  /** Starts {@code script} per connection, runs one probe, hands the result and close to checks. */
  private static void probeAgainst(
      Vertx vertx,
      VertxTestContext tc,
      HttpCheckBuilder check,
      Handler<NetSocket> script,
      Consumer<ProbeResult> then) {
    Promise<Void> closedByProbe = Promise.promise();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                so -> {
                  so.closeHandler(v -> closedByProbe.tryComplete());
                  script.handle(so);
                });
    HttpProbe probe = new HttpProbe(ProbeContext.of(vertx));
    long[] t0 = new long[1];
    server
        .listen(0, "127.0.0.1")
        .compose(
            s -> {
              t0[0] = System.nanoTime();
              return probe.run(check.timeout(TIMEOUT_MS).target(s.actualPort()));
            })
        .compose(
            r -> {
              long wallMs = (System.nanoTime() - t0[0]) / 1_000_000;
              tc.verify(
                  () -> assertTrue(wallMs < TIMEOUT_MS + MARGIN_MS, "took " + wallMs + " ms"));
              // the probe closes before completing; the FIN reaches the server a moment later
              return closedByProbe.future().timeout(MARGIN_MS, TimeUnit.MILLISECONDS).map(r);
            })
        .onComplete(
            tc.succeeding(
                r ->
                    tc.verify(
                        () -> {
                          then.accept(r);
                          tc.completeNow();
                        })));
  }

  /** Waits for the end of the request head, then runs {@code reply}. */
  private static Handler<NetSocket> afterRequest(Handler<NetSocket> reply) {
    return so -> {
      StringBuilder seen = new StringBuilder();
      so.handler(
          buf -> {
            boolean first = seen.indexOf("\r\n\r\n") < 0;
            seen.append(buf.toString());
            if (first && seen.indexOf("\r\n\r\n") >= 0) {
              reply.handle(so);
            }
          });
    };
  }

  @Test
  void endlessTrickledBodyEndsAtTheDeadline(Vertx vertx, VertxTestContext tc) {
    probeAgainst(
        vertx,
        tc,
        HttpCheckBuilder.get("/"),
        afterRequest(
            so -> {
              so.write(
                  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
              // one byte every 50 ms until the write fails because the probe closed the socket
              vertx.setPeriodic(
                  50, id -> so.write("1\r\nx\r\n").onFailure(e -> vertx.cancelTimer(id)));
            }),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.TIMEOUT, "reading body: timed out after 600 ms");
          assertEquals("200", r.facts().get("status"));
          assertTrue(r.timings().totalMs() < TIMEOUT_MS + MARGIN_MS, r::toString);
        });
  }

  @Test
  void garbageInsteadOfHttpIsProtocol(Vertx vertx, VertxTestContext tc) {
    probeAgainst(
        vertx,
        tc,
        HttpCheckBuilder.get("/"),
        afterRequest(so -> so.write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\r\n")),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.PROTOCOL, "waiting for response headers"));
  }

  @Test
  void silenceAfterAcceptIsTimeout(Vertx vertx, VertxTestContext tc) {
    probeAgainst(
        vertx,
        tc,
        HttpCheckBuilder.get("/"),
        so -> {},
        r ->
            assertResult(
                r,
                Outcome.DOWN,
                ErrorKind.TIMEOUT,
                "waiting for response headers: timed out after 600 ms"));
  }

  /**
   * A peer that accepts and never answers the ClientHello. The first TLS use in a JVM builds the
   * SSL context inside the probe's budget (and the probe waits for the stalled connect to be
   * closed), so one warm-up probe runs first; the measured one must end within the margin.
   */
  @Test
  void silentTlsHandshakeIsTimeout(Vertx vertx, VertxTestContext tc) {
    HttpCheckBuilder check = HttpCheckBuilder.get("/").https(TlsPolicy.DEFAULT);
    HttpProbe warm = new HttpProbe(ProbeContext.of(vertx));
    vertx
        .createNetServer()
        .connectHandler(so -> {})
        .listen(0, "127.0.0.1")
        .compose(s -> warm.run(check.timeout(TIMEOUT_MS).target(s.actualPort())))
        .onComplete(
            tc.succeeding(
                w ->
                    probeAgainst(
                        vertx,
                        tc,
                        check,
                        so -> {},
                        r -> {
                          assertResult(w, Outcome.DOWN, ErrorKind.TIMEOUT, "timed out");
                          assertResult(
                              r, Outcome.DOWN, ErrorKind.TIMEOUT, "timed out after 600 ms");
                          assertTrue(r.detail().startsWith("connect/TLS handshake"), r::toString);
                        })));
  }

  @Test
  void bodyCutShortIsProtocol(Vertx vertx, VertxTestContext tc) {
    probeAgainst(
        vertx,
        tc,
        HttpCheckBuilder.get("/"),
        afterRequest(
            so ->
                so.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..")
                    .compose(v -> so.close())),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.PROTOCOL, "reading body"));
  }

  @Test
  void oversizedContentLengthFailsBeforeReading(Vertx vertx, VertxTestContext tc) {
    probeAgainst(
        vertx,
        tc,
        HttpCheckBuilder.get("/").maxBody(1000),
        afterRequest(so -> so.write("HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\nabc")),
        r -> {
          assertResult(
              r,
              Outcome.DOWN,
              ErrorKind.ASSERTION,
              "body larger than 1000 bytes (Content-Length 5000000)");
          assertEquals("5000000", r.facts().get("bodyBytes"));
        });
  }

  /** RFC 9110 §8.6: on a 304 Content-Length describes the resource; no body is sent or awaited. */
  @Test
  void notModifiedWithLargeContentLengthIsUp(Vertx vertx, VertxTestContext tc) {
    probeAgainst(
        vertx,
        tc,
        HttpCheckBuilder.get("/").maxBody(1000).status(304),
        afterRequest(
            so -> so.write("HTTP/1.1 304 Not Modified\r\nContent-Length: 5000000\r\n\r\n")),
        r -> {
          assertResult(r, Outcome.UP, null, "HTTP 304");
          assertEquals("0", r.facts().get("bodyBytes"));
        });
  }

  @Test
  void redirectToLinkLocalIpv6IsRefused(Vertx vertx, VertxTestContext tc) {
    probeAgainst(
        vertx,
        tc,
        HttpCheckBuilder.get("/").follow(3),
        afterRequest(
            so ->
                so.write(
                    "HTTP/1.1 301 Moved\r\nLocation: http://[fe80::1%25eth0]/x\r\n"
                        + "Content-Length: 0\r\n\r\n")),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "refused"));
  }

  @Test
  void tooManyRedirectsFail(Vertx vertx, VertxTestContext tc) {
    int[] n = {0};
    probeAgainst(
        vertx,
        tc,
        HttpCheckBuilder.get("/").follow(2),
        afterRequest(
            so ->
                so.write(
                    "HTTP/1.1 302 Found\r\nLocation: /r"
                        + (++n[0])
                        + "\r\nContent-Length: 0\r\n\r\n")),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "more than 2 redirects"));
  }
}
