package io.quorate.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: renders every error as RFC 9457 {@code application/problem+json}, never
 * a stack trace. Unexpected exceptions are logged once here and shown as a bare 500.
 */
public final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    Problem p = toProblem(ctx);
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (p.status() == 401) {
      // RFC 6750 §3.1: an error code only when the client tried a bearer token
      String auth = ctx.request().getHeader("Authorization");
      boolean triedBearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7);
      ctx.response()
          .putHeader(
              "WWW-Authenticate",
              "Bearer realm=\"quorate\"" + (triedBearer ? ", error=\"invalid_token\"" : ""));
    } else if (p.status() == 403) {
      ctx.response()
          .putHeader("WWW-Authenticate", "Bearer realm=\"quorate\", error=\"insufficient_scope\"");
    }
    ctx.response()
        .setStatusCode(p.status())
        .putHeader("Content-Type", "application/problem+json")
        .putHeader("Cache-Control", "no-store")
        .end(p.toJson(ctx.request().path()).encode());
  }

  static Problem toProblem(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof Problem p) {
      return p;
    }
    int code = ctx.statusCode();
    if (f instanceof HttpException h) {
      code = h.getStatusCode();
    }
    return switch (code) {
      case 404 -> Problem.notFound("no resource at " + Responses.clip(ctx.request().path()));
      case 405 ->
          new Problem(
              405,
              "method-not-allowed",
              "Method Not Allowed",
              ctx.request().method()
                  + " is not allowed on "
                  + Responses.clip(ctx.request().path()));
      case 413 ->
          new Problem(
              413, "payload-too-large", "Payload Too Large", "request body exceeds the limit");
      case 400 ->
          Problem.badRequest(f == null || f.getMessage() == null ? "bad request" : f.getMessage());
      case 401 ->
          new Problem(401, "unauthorized", "Unauthorized", "a valid bearer token is required");
      case 403 -> new Problem(403, "forbidden", "Forbidden", "the token lacks the required scope");
      default -> {
        if (code >= 400 && code < 500) {
          yield new Problem(code, "client-error", "Client Error", "request refused");
        }
        LOG.error("api unexpected-error path={}", ctx.request().path(), f);
        yield new Problem(
            500,
            "internal",
            "Internal Server Error",
            "an unexpected error occurred; see the agent's log");
      }
    };
  }
}
