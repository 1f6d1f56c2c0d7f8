package io.quorate.mesh;

import io.quorate.api.Problem;
import io.quorate.mesh.MeshInbox.Accepted;
import io.quorate.mesh.MeshInbox.Rejected;
import io.quorate.quorum.Vote;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /observations} (pushes) and {@code GET /observations?since=&nonce=} (catch-up pulls),
 * to be mounted at {@code /api/v1/mesh} <em>before</em> the API's global body handler and outside
 * bearer-token auth: the HMAC is the authentication. Its own body limit is {@link
 * MeshCodec#MAX_BODY_BYTES}. Every answer to an authenticated request is signed with this agent's
 * key; errors are RFC 9457 problems with a {@code reason} member. Thread-safe (the inbox is), so
 * the HTTP server may run on any number of event loops.
 */
public final class MeshRouter {
  private static final Logger LOG = LoggerFactory.getLogger(MeshRouter.class);
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final String SIGN = "quorate.mesh.sign";

  private final Vertx vertx;
  private final MeshInbox inbox;
  private final Identity self;
  private final Supplier<Collection<Vote>> ownVotes;
  private final Consumer<Accepted> accepted;
  private final BooleanSupplier started;
  private final int pageMax;
  private final MeshCodec codec = new MeshCodec();

  MeshRouter(
      Vertx vertx,
      MeshInbox inbox,
      Identity self,
      Supplier<Collection<Vote>> ownVotes,
      Consumer<Accepted> accepted,
      BooleanSupplier started,
      int pageMax) {
    this.vertx = vertx;
    this.inbox = inbox;
    this.self = self;
    this.ownVotes = ownVotes;
    this.accepted = accepted;
    this.started = started;
    this.pageMax = pageMax;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.post("/observations")
        .handler(BodyHandler.create(false).setBodyLimit(MeshCodec.MAX_BODY_BYTES))
        .handler(this::receive);
    r.get("/observations").handler(this::serve);
    r.route().last().handler(ctx -> ctx.fail(404));
    r.route().failureHandler(this::failure);
    return r;
  }

  private void receive(RoutingContext ctx) {
    if (!started.getAsBoolean()) {
      throw notStarted();
    }
    Buffer body = ctx.body().buffer();
    MeshInbox.Result result =
        inbox.accept(
            ctx.request().getHeader(MeshTransport.REGION),
            ctx.request().getHeader(MeshTransport.SIGNATURE),
            body == null ? Buffer.buffer() : body);
    if (result instanceof Rejected rej) {
      refuse(ctx, rej);
      return;
    }
    Accepted a = (Accepted) result;
    accepted.accept(a);
    signed(
        ctx,
        200,
        "application/json",
        codec.encodeAck(new MeshCodec.Ack(self.region, a.message().seq(), a.receivedAt())));
  }

  private void serve(RoutingContext ctx) {
    if (!started.getAsBoolean()) {
      throw notStarted();
    }
    Rejected rej =
        inbox.authorizePull(
            ctx.request().getHeader(MeshTransport.REGION),
            ctx.request().getHeader(MeshTransport.DATE),
            ctx.request().getHeader(MeshTransport.SIGNATURE),
            ctx.request().uri());
    if (rej != null) {
      refuse(ctx, rej);
      return;
    }
    ctx.put(SIGN, true);
    long since = sinceParam(ctx.request().getParam("since"));
    String nonce = ctx.request().getParam("nonce");
    if (nonce == null || !NONCE.matcher(nonce).matches()) {
      throw Problem.badRequest("query parameter 'nonce' must be 16-64 characters [A-Za-z0-9_-]");
    }
    List<Vote> newer =
        ownVotes.get().stream()
            .filter(v -> v.obsSeq() > since)
            .sorted(Comparator.comparingLong(Vote::obsSeq))
            .limit(pageMax + 1L)
            .toList();
    boolean more = newer.size() > pageMax;
    List<Vote> page = more ? newer.subList(0, pageMax) : newer;
    signed(
        ctx,
        200,
        "application/json",
        codec.encodePull(new MeshCodec.PullPage(self.region, nonce, page, more)));
  }

  private static long sinceParam(String s) {
    if (s != null && s.matches("[0-9]{1,18}")) {
      return Long.parseLong(s);
    }
    throw Problem.badRequest("query parameter 'since' must be an integer >= 0");
  }

  private void refuse(RoutingContext ctx, Rejected rej) {
    JsonObject ext = new JsonObject().put("reason", rej.reason().wireName());
    if (rej.authentic()) {
      // The sender proved its key: tell it our receipt time so it can see its clock offset.
      ext.put("receivedAt", rej.receivedAt().toString());
      ctx.put(SIGN, true);
    }
    ctx.fail(
        new Problem(
            rej.reason().httpStatus(),
            "mesh-" + rej.reason().wireName(),
            "Mesh message refused",
            rej.detail(),
            ext));
  }

  private void failure(RoutingContext ctx) {
    Problem p;
    if (ctx.failure() instanceof Problem given) {
      p = given;
    } else if (ctx.statusCode() == 413) {
      Rejected rej = inbox.tooLarge(ctx.request().getHeader(MeshTransport.REGION));
      p =
          new Problem(
              413,
              "mesh-too-large",
              "Mesh message refused",
              rej.detail(),
              new JsonObject().put("reason", rej.reason().wireName()));
    } else if (ctx.statusCode() == 404 || ctx.statusCode() == 405) {
      p =
          ctx.statusCode() == 404
              ? Problem.notFound("no mesh resource at " + ctx.request().path())
              : new Problem(405, "method-not-allowed", "Method Not Allowed", "not allowed here");
    } else {
      LOG.error("mesh unexpected-error path={}", ctx.request().path(), ctx.failure());
      p = new Problem(500, "internal", "Internal Server Error", "see the agent's log");
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Buffer body = p.toJson(ctx.request().path()).toBuffer();
    if (Boolean.TRUE.equals(ctx.get(SIGN))) {
      signed(ctx, p.status(), "application/problem+json", body);
    } else {
      ctx.response()
          .setStatusCode(p.status())
          .putHeader("Content-Type", "application/problem+json")
          .putHeader("Cache-Control", "no-store")
          .end(body);
    }
  }

  private void signed(RoutingContext ctx, int status, String type, Buffer body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", type)
        .putHeader("Cache-Control", "no-store")
        .putHeader(MeshTransport.REGION, self.region)
        .putHeader(MeshTransport.SIGNATURE, self.signer.sign(body))
        .end(body);
  }

  private static Problem notStarted() {
    return new Problem(503, "mesh-not-started", "Service Unavailable", "the mesh is starting");
  }
}
