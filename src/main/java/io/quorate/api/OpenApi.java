package io.quorate.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenAPI 3.1 description of the API, shipped as a resource and served verbatim. */
public final class OpenApi {
  private static final String DOC = load();

  private OpenApi() {}

  public static String document() {
    return DOC;
  }

  private static String load() {
    try (InputStream in = OpenApi.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
