package io.quorate.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /}: the live status page, one self-contained HTML document (inline CSS and JS, no
 * external assets) that reads {@code /api/v1/*} with a bearer token and follows {@code
 * /api/v1/events} by {@code fetch()} streaming, so the token travels in the Authorization header
 * and never in a URL (RFC 6750 §2.3 discourages query tokens: they end up in logs). Only the exact
 * path {@code /} is routed, so mounting this router at {@code /*} shadows nothing else.
 *
 * <p>With {@code statusPage.public: true} the page needs no token: it reads the redacted {@code GET
 * /status.json} (names, states, durations, uptime bars, incidents and announced maintenance only),
 * re-reads it when {@code GET /status/events} says the status changed ({@link PublicStatusStream})
 * and every 30 s; otherwise both answer 404.
 *
 * <p>The Content-Security-Policy allows only this document's own inline script and style (by
 * SHA-256, CSP Level 3 hash sources) and connections to the same origin.
 */
public final class StatusPageResource {
  static final String RESOURCE = "status/index.html";

  private static final String TOKEN_MODE = "data-mode=\"token\"";

  /** The page is a few tens of KiB; anything much bigger is a packaging mistake. */
  static final int MAX_PAGE_BYTES = 256 * 1024;

  private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
  private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

  private final Vertx vertx;
  private final StatusResource status;
  private final Buffer page;
  private final String csp;
  private final PublicStatusStream stream;

  /** The page in token mode, without {@code /status.json} data (it answers 404). */
  public StatusPageResource(Vertx vertx) {
    this(vertx, null);
  }

  /**
   * The page in the mode {@code status}'s config sets; in public mode {@code GET /status.json}
   * serves the redacted document without a token.
   */
  public StatusPageResource(Vertx vertx, StatusResource status) {
    this.vertx = vertx;
    this.status = status;
    this.stream = new PublicStatusStream(vertx);
    boolean publicMode = status != null && status.publicMode();
    // the mode travels as a body attribute, outside the hashed script and style
    String html = load().replace(TOKEN_MODE, publicMode ? "data-mode=\"public\"" : TOKEN_MODE);
    this.page = Buffer.buffer(html);
    this.csp =
        "default-src 'none'; script-src "
            + hashes(SCRIPT, html)
            + "; style-src "
            + hashes(STYLE, html)
            + "; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::page);
    r.get("/status.json").handler(this::json);
    r.get("/status/events").handler(this::events);
    return r;
  }

  /** Public mode only: "the status changed" as Server-Sent Events, no token. */
  private void events(RoutingContext ctx) {
    if (status == null || !status.publicMode()) {
      throw Problem.notFound(
          "the status page is not public; follow /api/v1/events with a token instead");
    }
    stream.handle(ctx);
  }

  /** Public mode only: the redacted status document, no token. */
  private void json(RoutingContext ctx) {
    if (status == null || !status.publicMode()) {
      throw Problem.notFound(
          "the status page is not public; read /api/v1/status with a token instead");
    }
    status
        .document(true)
        .onSuccess(
            j ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "public, max-age=10")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .end(j.encode()))
        .onFailure(ctx::fail);
  }

  private void page(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", csp)
        .putHeader("X-Content-Type-Options", "nosniff")
        // a ?token= must not leak to other sites through the Referer header
        .putHeader("Referrer-Policy", "no-referrer")
        .end(page);
  }

  /** The Content-Security-Policy header value sent with the page. */
  String csp() {
    return csp;
  }

  private static String load() {
    try (InputStream in = StatusPageResource.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("status page resource missing: " + RESOURCE);
      }
      byte[] bytes = in.readNBytes(MAX_PAGE_BYTES + 1);
      if (bytes.length > MAX_PAGE_BYTES) {
        throw new IllegalStateException("status page larger than " + MAX_PAGE_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hashes(Pattern element, String html) {
    StringBuilder out = new StringBuilder();
    Matcher m = element.matcher(html);
    while (m.find()) {
      out.append(out.length() == 0 ? "" : " ").append("'sha256-").append(sha256(m.group(1)));
      out.append('\'');
    }
    return out.length() == 0 ? "'none'" : out.toString();
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
