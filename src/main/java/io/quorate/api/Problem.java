package io.quorate.api;

import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem: thrown (or passed to {@code ctx.fail}) by handlers and rendered as {@code
 * application/problem+json} by {@link ProblemHandler}.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final String BASE = "https://quorate.io/problems/";

  private final int status;
  private final String type;
  private final String title;
  private final transient JsonObject extensions;

  public Problem(int status, String type, String title, String detail) {
    this(status, type, title, detail, null);
  }

  public Problem(int status, String type, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.extensions = extensions;
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not Found", detail);
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "bad-request", "Bad Request", detail);
  }

  public int status() {
    return status;
  }

  public JsonObject toJson(String instance) {
    JsonObject j =
        new JsonObject()
            .put("type", BASE + type)
            .put("title", title)
            .put("status", status)
            .put("detail", getMessage());
    if (instance != null) {
      j.put("instance", instance);
    }
    if (extensions != null) {
      extensions.forEach(e -> j.put(e.getKey(), e.getValue()));
    }
    return j;
  }
}
