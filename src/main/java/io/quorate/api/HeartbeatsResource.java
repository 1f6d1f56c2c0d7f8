package io.quorate.api;

import io.quorate.config.HeartbeatCheck;
import io.quorate.config.Target;
import io.quorate.probe.heartbeat.HeartbeatBook;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@code POST /heartbeats/{id}?status=ok|fail&msg=}: a push target reports in. Authenticated by
 * that target's own bearer token (RFC 6750), not the API tokens, compared as SHA-256 digests in
 * constant time; mounted outside the read-scope check. The ping is recorded locally and handed to
 * {@code share} (the mesh) so every region judges the target from the same pings.
 */
public final class HeartbeatsResource {
  private final Vertx vertx;
  private final Map<String, byte[]> digests = new HashMap<>();
  private final HeartbeatBook book;
  private final Clock clock;
  private final BiConsumer<String, HeartbeatBook.Ping> share;

  public HeartbeatsResource(
      Vertx vertx,
      List<Target> targets,
      HeartbeatBook book,
      Clock clock,
      BiConsumer<String, HeartbeatBook.Ping> share) {
    this.vertx = vertx;
    this.book = book;
    this.clock = clock;
    this.share = share;
    for (Target t : targets) {
      if (t.check() instanceof HeartbeatCheck h) {
        digests.put(t.id(), sha256(h.token().reveal()));
      }
    }
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.post("/:id").handler(this::ping);
    return r;
  }

  private void ping(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Problem(
          401,
          "unauthorized",
          "Unauthorized",
          "the heartbeat's token is required (Authorization: Bearer <token>)");
    }
    String id = ctx.pathParam("id");
    byte[] expected = digests.get(id);
    if (expected == null) {
      throw Problem.notFound("no heartbeat target '" + Responses.clip(id) + "'");
    }
    if (!MessageDigest.isEqual(expected, sha256(header.substring(7).trim()))) {
      throw new Problem(403, "forbidden", "Forbidden", "wrong token for heartbeat '" + id + "'");
    }
    HeartbeatBook.Ping ping = new HeartbeatBook.Ping(clock.instant(), ok(ctx), msg(ctx));
    book.record(id, ping);
    share.accept(id, ping);
    Responses.json(
        ctx,
        new JsonObject()
            .put("target", id)
            .put("at", JsonViews.time(ping.at()))
            .put("ok", ping.ok())
            .put("msg", ping.msg()));
  }

  private static boolean ok(RoutingContext ctx) {
    String status = ctx.request().getParam("status");
    if (status == null || "ok".equals(status)) {
      return true;
    }
    if ("fail".equals(status)) {
      return false;
    }
    throw Problem.badRequest("query parameter 'status' must be ok or fail");
  }

  private static String msg(RoutingContext ctx) {
    String msg = ctx.request().getParam("msg");
    if (msg == null) {
      return "";
    }
    if (msg.length() > HeartbeatBook.MAX_MSG) {
      throw Problem.badRequest(
          "query parameter 'msg' must be at most " + HeartbeatBook.MAX_MSG + " characters");
    }
    if (msg.chars().anyMatch(Character::isISOControl)) {
      throw Problem.badRequest("query parameter 'msg' must not contain control characters");
    }
    return msg;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
