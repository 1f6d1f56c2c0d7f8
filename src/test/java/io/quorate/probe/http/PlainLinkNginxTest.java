package io.quorate.probe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.quorate.config.Target;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.NginxLab;
import io.quorate.testsupport.SharedLabs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lean plain-http path ({@link PlainLink}) against a real nginx: on its own, and giving the
 * same probe results as the Vert.x HTTP client path for every plain route of the lab.
 */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class PlainLinkNginxTest {
  private static final String NAME = "www.example.test";

  @Test
  void plainLinkReadsHealthFromNginx(Vertx vertx, NginxLab nginx, VertxTestContext tc)
      throws Exception {
    InetSocketAddress server =
        new InetSocketAddress(
            InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), nginx.httpPort());
    List<String> events = new ArrayList<>();
    HopLink.Events seen =
        new HopLink.Events() {
          @Override
          public void head(int status, String httpVersion, double firstByteMs) {
            events.add("head " + status + " " + httpVersion);
          }

          @Override
          public void bodyBytes(long n) {
            events.add("body " + n);
          }
        };
    HttpHeaders headers = new DefaultHttpHeaders().set("Host", NAME);
    Promise<HttpAnswer> answered = Promise.promise();
    HopLink[] link = new HopLink[1];
    vertx.runOnContext(
        v ->
            PlainLink.connect((VertxInternal) vertx, server, 2_000)
                .compose(
                    l -> {
                      link[0] = l;
                      return l.exchange(HttpMethod.GET, "/health", headers, 1_000, seen);
                    })
                .compose(a -> link[0].close().map(a))
                .onComplete(answered));
    answered
        .future()
        .timeout(5, TimeUnit.SECONDS)
        .onComplete(
            tc.succeeding(
                a ->
                    tc.verify(
                        () -> {
                          assertEquals(200, a.status());
                          assertEquals("ok\n", a.body().toString());
                          assertEquals(NAME, a.headers().get("x-echo-host"));
                          assertEquals("3", a.headers().get("Content-Length"));
                          assertEquals(List.of("head 200 HTTP/1.1", "body 3"), events);
                          assertEquals("127.0.0.1", link[0].peerHost());
                          assertFalse(((PlainLink) link[0]).isOpen(), "closed");
                          tc.completeNow();
                        })));
  }

  /** Outcome, error kind, detail and facts are the same on both paths, route by route. */
  @Test
  void sameResultsAsTheVertxClient(Vertx vertx, NginxLab nginx, VertxTestContext tc) {
    int port = nginx.httpPort();
    List<Target> targets =
        List.of(
            HttpCheckBuilder.get("/health").host(NAME).contains("ok").target(port),
            HttpCheckBuilder.get("/error-page").contains("ok").target(port),
            HttpCheckBuilder.get("/health").regex("^nope$").target(port),
            HttpCheckBuilder.get("/cdn")
                .host(NAME)
                .expectHeader("X-Cache", "HIT", false)
                .expectHeader("X-Echo-Host", "^www\\.example\\.test$", false)
                .target(port),
            HttpCheckBuilder.get("/cdn").expectHeader("X-Cache", null, true).target(port),
            HttpCheckBuilder.get("/redirect").follow(3).contains("ok").target(port),
            HttpCheckBuilder.get("/redirect").target(port),
            HttpCheckBuilder.get("/loop").follow(5).target(port),
            HttpCheckBuilder.get("/meta").follow(3).target(port),
            HttpCheckBuilder.get("/big").maxBody(1_000).target(port),
            HttpCheckBuilder.get("/status503").target(port),
            HttpCheckBuilder.get("/nowhere").status(404).target(port),
            HttpCheckBuilder.get("/health").method("HEAD").target(port),
            HttpCheckBuilder.get("/health").header("X-Probe", "1").method("POST").target(port));
    HttpProbe lean = new HttpProbe(ProbeContext.of(vertx));
    HttpClientAgent client =
        vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(false)).build();
    List<Future<String>> pairs = new ArrayList<>();
    for (Target t : targets) {
      Future<ProbeResult> viaVertx = viaClient(vertx, client, t);
      pairs.add(
          Future.all(lean.run(t), viaVertx)
              .map(all -> t.check() + "\n" + key(all.resultAt(0)) + "\n" + key(all.resultAt(1))));
    }
    Future.all(pairs)
        .timeout(20, TimeUnit.SECONDS)
        .onComplete(
            tc.succeeding(
                all ->
                    tc.verify(
                        () -> {
                          for (int i = 0; i < targets.size(); i++) {
                            String[] lines = all.<String>resultAt(i).split("\n");
                            assertEquals(lines[2], lines[1], lines[0]);
                          }
                          client.close();
                          tc.completeNow();
                        })));
  }

  private static Future<ProbeResult> viaClient(Vertx vertx, HttpClientAgent client, Target t) {
    Promise<ProbeResult> out = Promise.promise();
    HttpExchange ex = new HttpExchange(ProbeContext.of(vertx), client, new HttpAssertions(), t);
    vertx.getOrCreateContext().runOnContext(v -> ex.start().onComplete(out));
    return out.future();
  }

  private static String key(ProbeResult r) {
    return r.outcome() + " " + r.errorKind() + " " + r.detail() + " " + new TreeMap<>(r.facts());
  }
}
