package io.quorate.probe.http;

import static io.quorate.probe.ProbeAssert.assertResult;
import static io.quorate.probe.ProbeAssert.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.TlsPolicy;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.NginxLab;
import io.quorate.testsupport.Ports;
import io.quorate.testsupport.SharedLabs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP probe against a real nginx: every route and assertion, passing and failing. */
@ExtendWith({VertxExtension.class, SharedLabs.class})
class HttpProbeNginxTest {
  private static final String NAME = "www.example.test";

  private static NginxLab nginx;
  private static HttpProbe probe;
  private static TlsPolicy trusted;

  @BeforeAll
  static void start(Vertx vertx, NginxLab shared) {
    nginx = shared;
    probe = new HttpProbe(ProbeContext.of(vertx));
    trusted = TlsPolicy.DEFAULT.withCaFile(nginx.caFile().toString());
  }

  private static void assertHttpFacts(ProbeResult r, String status) {
    assertEquals(status, r.facts().get("status"), r::toString);
    assertEquals("HTTP/1.1", r.facts().get("httpVersion"), r::toString);
    assertNotNull(r.timings().connectMs(), r::toString);
    assertNotNull(r.timings().firstByteMs(), r::toString);
  }

  @Test
  void healthIsUpWithFacts(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health").contains("ok").target(nginx.httpPort()),
        r -> {
          assertResult(r, Outcome.UP, null, "HTTP 200");
          assertHttpFacts(r, "200");
          assertEquals("3", r.facts().get("bodyBytes"));
          assertNull(r.tls());
          assertTrue(r.timings().totalMs() >= r.timings().connectMs());
        });
  }

  @Test
  void errorPageWith200FailsBodyContains(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/error-page").contains("ok").target(nginx.httpPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "body does not contain \"ok\"");
          assertHttpFacts(r, "200");
        });
  }

  @Test
  void bodyRegexPassesOnHealth(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health").regex("(?m)^ok$").target(nginx.httpPort()),
        r -> assertResult(r, Outcome.UP, null, null));
  }

  @Test
  void bodyRegexFailsOnErrorPage(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/error-page").regex("(?m)^ok$").target(nginx.httpPort()),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "body does not match /(?m)^ok$/"));
  }

  @Test
  void cdnHeaderMatches(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/cdn")
            .expectHeader("X-Cache", "^HIT$", false)
            .expectHeader("X-Powered-By", null, true)
            .target(nginx.httpPort()),
        r -> assertResult(r, Outcome.UP, null, null));
  }

  @Test
  void cdnHeaderRegexMismatchFails(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/cdn")
            .expectHeader("X-Cache", "MISS", false)
            .target(nginx.httpPort()),
        r ->
            assertResult(
                r,
                Outcome.DOWN,
                ErrorKind.ASSERTION,
                "header X-Cache [HIT] does not match /MISS/"));
  }

  @Test
  void headerThatMustBeAbsentFails(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/cdn").expectHeader("x-cache", null, true).target(nginx.httpPort()),
        r ->
            assertResult(
                r, Outcome.DOWN, ErrorKind.ASSERTION, "header x-cache present but must be absent"));
  }

  @Test
  void missingHeaderFails(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health")
            .expectHeader("X-Cache", null, false)
            .target(nginx.httpPort()),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "header X-Cache missing"));
  }

  @Test
  void status503IsDown(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/status503").target(nginx.httpPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "HTTP 503 (expected 200-399)");
          assertHttpFacts(r, "503");
        });
  }

  @Test
  void status503AcceptedWhenExpected(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/status503").status(503).target(nginx.httpPort()),
        r -> assertResult(r, Outcome.UP, null, "HTTP 503"));
  }

  @Test
  void redirectNotFollowedByDefault(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/redirect").status(200).target(nginx.httpPort()),
        r -> {
          assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "HTTP 302 (expected [200])");
          assertNull(r.facts().get("redirects"));
        });
  }

  @Test
  void redirectStatusAcceptedWhenExpected(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/redirect").status(302).target(nginx.httpPort()),
        r -> assertResult(r, Outcome.UP, null, "HTTP 302"));
  }

  @Test
  void redirectFollowedWhenAsked(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/redirect")
            .status(200)
            .contains("ok")
            .follow(5)
            .host(NAME)
            .target(nginx.httpPort()),
        r -> {
          assertResult(r, Outcome.UP, null, "HTTP 200");
          assertEquals("1", r.facts().get("redirects"));
        });
  }

  @Test
  void redirectLoopIsReported(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/loop").follow(5).target(nginx.httpPort()),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "redirect loop"));
  }

  @Test
  void metadataRedirectIsRefused(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/meta").follow(5).target(nginx.httpPort()),
        r ->
            assertResult(
                r,
                Outcome.DOWN,
                ErrorKind.ASSERTION,
                "redirect to link-local/metadata address refused: http://169.254.169.254/latest/"));
  }

  @Test
  void bigBodyIsCappedAndFails(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/big").target(nginx.httpPort()),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.ASSERTION, "body larger than 65536 bytes"));
  }

  @Test
  void bigBodyReadWhenCapAllows(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/big").maxBody(2 * NginxLab.BIG_BYTES).target(nginx.httpPort()),
        r -> {
          assertResult(r, Outcome.UP, null, null);
          assertEquals(Integer.toString(NginxLab.BIG_BYTES), r.facts().get("bodyBytes"));
        });
  }

  /**
   * RFC 9110 §9.3.2: a HEAD answer's Content-Length (1 MiB here) describes the resource, no body
   * follows, so the body cap does not apply.
   */
  @Test
  void headOfBigResourceIsUpDespiteTheBodyCap(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/big").method("HEAD").target(nginx.httpPort()),
        r -> {
          assertResult(r, Outcome.UP, null, "HTTP 200");
          assertEquals("0", r.facts().get("bodyBytes"), r::toString);
        });
  }

  @Test
  void hostHeaderIsTheServiceName(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health")
            .host(NAME)
            .expectHeader("X-Echo-Host", "^www\\.example\\.test$", false)
            .target(nginx.httpPort()),
        r -> assertResult(r, Outcome.UP, null, null));
  }

  @Test
  void hostHeaderDefaultsToTheAddress(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health")
            .expectHeader("X-Echo-Host", "^127\\.0\\.0\\.1$", false)
            .target(nginx.httpPort()),
        r -> assertResult(r, Outcome.UP, null, null));
  }

  @Test
  void closedPortIsRefused(VertxTestContext tc) {
    expect(
        tc,
        probe,
        HttpCheckBuilder.get("/health").target(Ports.free()),
        r -> assertResult(r, Outcome.DOWN, ErrorKind.REFUSED, "connect: connection refused"));
  }
}
