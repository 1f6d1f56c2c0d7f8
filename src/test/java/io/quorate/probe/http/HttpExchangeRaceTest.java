package io.quorate.probe.http;

import static io.quorate.probe.ProbeAssert.assertResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Races inside one exchange that timing alone will not reproduce, made deterministic by a client
 * whose connections' {@code close()} futures complete only when the test says so.
 */
@ExtendWith(VertxExtension.class)
class HttpExchangeRaceTest {
  /** Ample for one loopback redirect even in a cold JVM on a busy machine: the race is forced. */
  private static final long TIMEOUT_MS = 1_500;

  private static final long CLOSE_MS = TIMEOUT_MS + 150;

  /** Delegates to a real client; counts connects and holds every connection's close future. */
  private static final class HeldCloses {
    final AtomicInteger connects = new AtomicInteger();
    final Promise<Void> release = Promise.promise();
    final HttpClientAgent agent;

    HeldCloses(HttpClientAgent real) {
      agent = proxy(HttpClientAgent.class, real, this::onAgentCall);
    }

    private Object onAgentCall(Object real, Method m, Object[] args) throws Throwable {
      Object out = invoke(real, m, args);
      if (!m.getName().equals("connect")) {
        return out;
      }
      connects.incrementAndGet();
      return ((Future<?>) out)
          .map(c -> proxy(HttpClientConnection.class, c, this::onConnectionCall));
    }

    /** The socket really closes at once; the exchange hears of it only on release. */
    private Object onConnectionCall(Object real, Method m, Object[] args) throws Throwable {
      Object out = invoke(real, m, args);
      if (m.getName().equals("close") && m.getParameterCount() == 0) {
        return ((Future<?>) out).transform(ar -> release.future());
      }
      return out;
    }

    interface Call {
      Object apply(Object real, Method m, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, Object real, Call call) {
      InvocationHandler h = (self, m, args) -> call.apply(real, m, args);
      return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    private static Object invoke(Object real, Method m, Object[] args) throws Throwable {
      try {
        return m.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /**
   * The deadline fires while the previous hop's connection is still closing at a redirect (its
   * close takes {@link #CLOSE_MS}, longer than the budget). Once that close completes the exchange
   * must not connect to the next hop (a connection nobody would close), and the result waits for
   * the close: every socket is closed before the probe reports.
   */
  @Test
  void deadlineWhileClosingAtARedirectOpensNoConnection(Vertx vertx, VertxTestContext tc) {
    AtomicInteger accepted = new AtomicInteger();
    Promise<Void> firstClosed = Promise.promise();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                so -> {
                  accepted.incrementAndGet();
                  so.closeHandler(v -> firstClosed.tryComplete());
                  so.handler(
                      b ->
                          so.write(
                              "HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n"));
                });
    HttpClientAgent real =
        vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(false)).build();
    HeldCloses client = new HeldCloses(real);
    Context ctx = vertx.getOrCreateContext();
    Promise<Integer> connectsAfterRelease = Promise.promise();
    boolean[] releasedAtResult = {false};
    server
        .listen(0, "127.0.0.1")
        .compose(
            s -> {
              // on the exchange's own context: the continuation of the close runs inline, so any
              // connect to hop 2 has been attempted when complete() returns
              ctx.runOnContext(
                  v ->
                      vertx.setTimer(
                          CLOSE_MS,
                          id -> {
                            client.release.complete();
                            connectsAfterRelease.complete(client.connects.get());
                          }));
              return start(vertx, ctx, client, s.actualPort());
            })
        .compose(
            r -> {
              releasedAtResult[0] = client.release.future().isComplete();
              return Future.all(connectsAfterRelease.future(), firstClosed.future()).map(r);
            })
        .timeout(5, TimeUnit.SECONDS)
        .onComplete(
            tc.succeeding(
                r ->
                    tc.verify(
                        () -> {
                          assertResult(r, Outcome.DOWN, ErrorKind.TIMEOUT, "timed out");
                          assertEquals("1", r.facts().get("redirects"), "was at the redirect");
                          assertEquals(1, connectsAfterRelease.future().result(), "connects");
                          assertEquals(1, client.connects.get(), "connects in the end");
                          assertEquals(1, accepted.get(), "connections the server accepted");
                          assertTrue(
                              releasedAtResult[0], "reported only after the close completed");
                          real.close();
                          tc.completeNow();
                        })));
  }

  private static Future<ProbeResult> start(Vertx vertx, Context ctx, HeldCloses client, int port) {
    Promise<ProbeResult> out = Promise.promise();
    HttpExchange ex =
        new HttpExchange(
            ProbeContext.of(vertx),
            client.agent,
            new HttpAssertions(),
            HttpCheckBuilder.get("/").follow(3).timeout(TIMEOUT_MS).target(port));
    ctx.runOnContext(v -> ex.start().onComplete(out));
    return out.future();
  }
}
