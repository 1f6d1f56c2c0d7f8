package io.quorate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.testsupport.ApiPoll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /metrics} over real HTTP: gzip when the scraper asks for it (as Prometheus does), the same
 * text once decompressed, several times smaller; plain text otherwise.
 */
class MetricsScrapeTest {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  Vertx vertx;
  HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (int i = 0; i < 3_000; i++) { // about 400 KB: several 64 KiB chunks
      Counter.builder("quorate.probe.results")
          .description("Probe results by target and outcome")
          .tags("target", "web-" + i, "type", "http", "outcome", "up")
          .register(registry)
          .increment(i);
    }
    Router r = Router.router(vertx);
    r.get("/metrics").blockingHandler(new MetricsScrape(registry), true);
    server = ApiPoll.await(vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    ApiPoll.await(vertx.close());
  }

  private HttpResponse<byte[]> get(String acceptEncoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics"))
            .timeout(Duration.ofSeconds(10));
    if (acceptEncoding != null) {
      b.header("Accept-Encoding", acceptEncoding);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void gzipWhenAskedTheSameTextSeveralTimesSmaller() throws Exception {
    HttpResponse<byte[]> plain = get(null);
    assertEquals(200, plain.statusCode());
    assertFalse(plain.headers().firstValue("Content-Encoding").isPresent());
    HttpResponse<byte[]> gz = get("gzip, deflate");
    assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(null));
    assertEquals("Accept-Encoding", gz.headers().firstValue("Vary").orElse(null));
    byte[] text = new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes();
    assertEquals(
        new String(plain.body(), StandardCharsets.UTF_8), new String(text, StandardCharsets.UTF_8));
    assertTrue(
        gz.body().length * 5 < plain.body().length,
        gz.body().length + " gzip bytes for " + plain.body().length);
    HttpResponse<byte[]> refused = get("gzip;q=0, identity");
    assertFalse(refused.headers().firstValue("Content-Encoding").isPresent());
    assertEquals(plain.body().length, refused.body().length);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      value = {
        "gzip|true",
        "GZip|true",
        "x-gzip|true",
        "deflate, gzip;q=0.5|true",
        "gzip;q=0|false",
        "gzip; q=0.000|false",
        "gzip;q=0.001|true",
        "identity|false",
        "br, deflate|false",
        "NONE|false",
      })
  void acceptEncoding(String header, boolean gzip) {
    assertEquals(gzip, MetricsScrape.acceptsGzip(header), String.valueOf(header));
  }
}
