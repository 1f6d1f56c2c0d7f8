package io.quorate.probe.http;

import io.quorate.probe.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.util.function.LongConsumer;

/**
 * Reads a response body as a stream with a byte cap: more than {@code max} bytes (announced by
 * Content-Length, or seen) fails with ASSERTION "body larger than N bytes" and stops reading; the
 * caller then closes the connection. A body that never ends is ended by the caller's deadline.
 */
final class CappedBody {
  private CappedBody() {}

  /**
   * Reads {@code resp}'s body; {@code seen} is told the running byte count (for the facts). Must be
   * called before the response's first chunk is delivered (i.e. when its head arrives).
   */
  static Future<Buffer> read(HttpClientResponse resp, int max, LongConsumer seen) {
    String tooBig = "body larger than " + max + " bytes";
    Promise<Buffer> p = Promise.promise();
    resp.exceptionHandler(p::tryFail);
    String length = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > max) {
      seen.accept(Long.parseLong(length));
      return Future.failedFuture(
          new HttpProbeException(ErrorKind.ASSERTION, tooBig + " (Content-Length " + length + ")"));
    }
    Buffer body = Buffer.buffer();
    resp.handler(
        chunk -> {
          if (p.future().isComplete()) {
            return;
          }
          long total = (long) body.length() + chunk.length();
          seen.accept(total);
          if (total > max) {
            p.tryFail(new HttpProbeException(ErrorKind.ASSERTION, tooBig));
            return;
          }
          body.appendBuffer(chunk);
        });
    resp.endHandler(v -> p.tryComplete(body));
    return p.future();
  }
}
