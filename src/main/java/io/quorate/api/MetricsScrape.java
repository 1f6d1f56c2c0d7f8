package io.quorate.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the Prometheus text format streamed to the response in 64 KiB chunks.
 * Mounted as a blocking handler (a worker thread renders it): with 10,000 targets the text is ~23
 * MB and takes 1–2 s of CPU, which on the event loop delayed every probe sharing it, and rendered
 * whole into one String (as Vert.x's scraping handler does) it needed ~100 MB of transient heap
 * (issue 8).
 */
final class MetricsScrape implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsScrape.class);
  private static final int CHUNK = 64 * 1024;
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  MetricsScrape(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader("Content-Type", CONTENT_TYPE);
    boolean gzip = acceptsGzip(ctx.request().getHeader("Accept-Encoding"));
    if (gzip) {
      response.putHeader("Content-Encoding", "gzip").putHeader("Vary", "Accept-Encoding");
    }
    try (OutputStream out =
        gzip ? new FastGzip(new ChunkStream(response)) : new ChunkStream(response)) {
      registry.scrape(out);
    } catch (IOException | RuntimeException e) {
      LOG.warn("metrics scrape failed error={}", e.toString());
      if (!response.headWritten()) {
        response.setStatusCode(500).end();
      } else {
        response.reset();
      }
      return;
    }
    response.end();
  }

  /**
   * Whether the client takes gzip (Prometheus always sends {@code Accept-Encoding: gzip}); a {@code
   * q=0} refusal counts as no (RFC 9110 §12.5.3).
   */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] p = part.trim().split(";");
      String coding = p[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
        continue;
      }
      for (int i = 1; i < p.length; i++) {
        String param = p[i].trim().replace(" ", "");
        if (param.matches("q=0(\\.0{0,3})?")) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * gzip at the fastest level: the exposition is so repetitive that level 1 already shrinks it
   * about tenfold, at a fraction of the default level's CPU (this renders on a worker of a small
   * VM).
   */
  private static final class FastGzip extends java.util.zip.GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, CHUNK);
      def.setLevel(java.util.zip.Deflater.BEST_SPEED);
    }
  }

  /** Collects bytes into chunks of {@link #CHUNK} and writes each to the response. */
  private static final class ChunkStream extends OutputStream {
    private final HttpServerResponse response;
    private Buffer chunk = Buffer.buffer(CHUNK);

    ChunkStream(HttpServerResponse response) {
      this.response = response;
    }

    @Override
    public void write(int b) {
      chunk.appendByte((byte) b);
      maybeFlush();
    }

    @Override
    public void write(byte[] b, int off, int len) {
      chunk.appendBytes(b, off, len);
      maybeFlush();
    }

    private void maybeFlush() {
      if (chunk.length() >= CHUNK) {
        flush();
      }
    }

    @Override
    public void flush() {
      if (chunk.length() > 0) {
        response.write(chunk);
        chunk = Buffer.buffer(CHUNK);
      }
    }

    @Override
    public void close() {
      flush();
    }
  }
}
