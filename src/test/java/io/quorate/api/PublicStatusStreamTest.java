package io.quorate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.ApiPoll;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The public stream's bounds over real HTTP: beyond the cap a 503 problem with Retry-After, a slot
 * freed when a client goes away, and a burst of changes paced into at most one event per second.
 */
@Timeout(60)
class PublicStatusStreamTest {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  Vertx vertx;
  HttpServer server;
  PublicStatusStream stream;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    stream = new PublicStatusStream(vertx, 2);
    Router r = Router.router(vertx);
    r.get("/status/events").handler(stream::handle);
    r.route().failureHandler(new ProblemHandler());
    server = ApiPoll.await(vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    ApiPoll.await(vertx.close());
  }

  private HttpResponse<InputStream> open() throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.actualPort() + "/status/events"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void beyondTheCapA503ProblemThenASlotFreedByAClientThatLeft() throws Exception {
    List<HttpResponse<InputStream>> held = new ArrayList<>(List.of(open(), open()));
    held.forEach(h -> assertEquals(200, h.statusCode()));
    HttpResponse<InputStream> refused = open();
    assertEquals(503, refused.statusCode());
    assertEquals("30", refused.headers().firstValue("Retry-After").orElse(null));
    JsonObject problem = new JsonObject(new String(refused.body().readAllBytes()));
    assertEquals("https://quorate.io/problems/too-many-streams", problem.getString("type"));
    held.remove(0).body().close();
    Poll.until(Duration.ofSeconds(10), "the closed stream's slot freed", stream::open, n -> n == 1);
    HttpResponse<InputStream> again = open();
    assertEquals(200, again.statusCode());
    again.body().close();
    held.forEach(
        h -> {
          try {
            h.body().close();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void aBurstOfChangesIsPacedIntoAtMostOneEventPerSecond() throws Exception {
    HttpResponse<InputStream> res = open();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body()))) {
      assertEquals("retry: 5000", in.readLine());
      assertEquals(": quorate status", in.readLine());
      assertEquals("", in.readLine());
      long t0 = System.nanoTime();
      List<Long> at = new ArrayList<>();
      // 50 changes now: one event at once, one more after the gap, no more
      vertx.runOnContext(
          v -> {
            for (int i = 0; i < 50; i++) {
              EventsResource.publish(vertx, "verdict", new JsonObject().put("n", i));
            }
          });
      for (int i = 0; i < 2; i++) {
        assertEquals("event: changed", in.readLine());
        assertEquals("data: {}", in.readLine());
        assertEquals("", in.readLine());
        at.add((System.nanoTime() - t0) / 1_000_000);
      }
      assertTrue(at.get(1) - at.get(0) >= 900, "paced: " + at);
      // nothing else was due: the next change is one event again
      EventsResource.publish(vertx, "verdict", new JsonObject());
      assertEquals("event: changed", in.readLine());
    }
  }
}
