package io.quorate.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A blocking status check for test threads polling a child process (never on an event loop). */
public final class HttpStatus {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private HttpStatus() {}

  /** The status of {@code GET uri}, or -1 when nothing answers (2 s at most). */
  public static int of(URI uri) throws InterruptedException {
    try {
      HttpRequest r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }
}
