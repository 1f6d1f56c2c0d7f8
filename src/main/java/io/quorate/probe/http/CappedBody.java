package io.quorate.probe.http;

import io.quorate.probe.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.function.LongConsumer;

/**
 * Reads a response body as a stream with a byte cap: more than {@code max} bytes (announced by
 * Content-Length, or seen) fails with ASSERTION "body larger than N bytes" and stops reading; the
 * caller then closes the connection. A body that never ends is ended by the caller's deadline. A
 * response that has no body by definition (see {@link #hasNoBody}) is not read at all.
 */
final class CappedBody {
  private CappedBody() {}

  /**
   * Whether a response to {@code method} with {@code status} has no body whatever its headers say:
   * answers to HEAD (RFC 9110 §9.3.2) and 1xx, 204 and 304 answers (RFC 9112 §6.3 rule 1). Their
   * Content-Length describes the resource (RFC 9110 §8.6), not bytes that will be sent.
   */
  static boolean hasNoBody(HttpMethod method, int status) {
    return HttpMethod.HEAD.equals(method) || status / 100 == 1 || status == 204 || status == 304;
  }

  /**
   * Reads {@code resp}'s body; {@code seen} is told the running byte count (for the facts). Must be
   * called before the response's first chunk is delivered (i.e. when its head arrives). For a
   * response that {@link #hasNoBody} it is an empty buffer at once: no cap, nothing awaited.
   */
  static Future<Buffer> read(
      HttpClientResponse resp, HttpMethod method, int max, LongConsumer seen) {
    if (hasNoBody(method, resp.statusCode())) {
      return Future.succeededFuture(Buffer.buffer());
    }
    Promise<Buffer> p = Promise.promise();
    resp.exceptionHandler(p::tryFail);
    HttpProbeException announced =
        announcedTooBig(resp.getHeader(HttpHeaders.CONTENT_LENGTH), max, seen);
    if (announced != null) {
      return Future.failedFuture(announced);
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
            p.tryFail(tooBig(max));
            return;
          }
          body.appendBuffer(chunk);
        });
    resp.endHandler(v -> p.tryComplete(body));
    return p.future();
  }

  /**
   * The failure for a Content-Length (a plain decimal) above {@code max}, with {@code seen} told
   * the announced size; {@code null} when there is no such header or it is within the cap.
   */
  static HttpProbeException announcedTooBig(String length, int max, LongConsumer seen) {
    if (!isDecimal(length) || Long.parseLong(length) <= max) {
      return null;
    }
    seen.accept(Long.parseLong(length));
    return new HttpProbeException(
        ErrorKind.ASSERTION, "body larger than " + max + " bytes (Content-Length " + length + ")");
  }

  /** 1 to 18 ASCII digits (no regular expression: this runs on every probe). */
  private static boolean isDecimal(String s) {
    if (s == null || s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The failure for a body seen to grow past {@code max} bytes. */
  static HttpProbeException tooBig(int max) {
    return new HttpProbeException(ErrorKind.ASSERTION, "body larger than " + max + " bytes");
  }
}
