package io.quorate.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers shared by resources. */
final class Responses {
  private Responses() {}

  static void json(RoutingContext ctx, JsonObject body) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** An integer query parameter within [min, max], or a 400 problem naming it. */
  static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
    String v = ctx.request().getParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v);
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException e) {
      // fall through to the problem
    }
    throw Problem.badRequest(
        "query parameter '" + name + "' must be an integer in " + min + ".." + max);
  }

  /** Echoes user input in a message without letting it grow the response. */
  static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
