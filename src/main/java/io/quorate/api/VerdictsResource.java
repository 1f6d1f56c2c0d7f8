package io.quorate.api;

import io.quorate.agent.QuorumService;
import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.maintenance.Occurrence;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/** {@code GET /verdicts[?state=]} and {@code GET /verdicts/{target}}: the quorum's view. */
public final class VerdictsResource {
  private final Vertx vertx;
  private final QuorateConfig config;
  private final QuorumService quorum;
  private final Clock clock;
  private final Function<String, Optional<Occurrence>> maintenance;

  public VerdictsResource(Vertx vertx, QuorateConfig config, QuorumService quorum, Clock clock) {
    this(vertx, config, quorum, clock, id -> Optional.empty());
  }

  /**
   * @param maintenance the maintenance occurrence a target is in (then it is shown as MAINTENANCE)
   */
  public VerdictsResource(
      Vertx vertx,
      QuorateConfig config,
      QuorumService quorum,
      Clock clock,
      Function<String, Optional<Occurrence>> maintenance) {
    this.vertx = vertx;
    this.config = config;
    this.quorum = quorum;
    this.clock = clock;
    this.maintenance = maintenance;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    r.get("/:target").handler(this::one);
    return r;
  }

  private void list(RoutingContext ctx) {
    String filter = ctx.request().getParam("state");
    Status wanted = filter == null ? null : VerdictViews.state(filter);
    JsonArray items = new JsonArray();
    for (Verdict v : quorum.verdicts()) {
      JsonObject shown = VerdictViews.shown(v, maintenance.apply(v.targetId()).orElse(null));
      if (wanted == null || shown.getString("state").equals(wanted.name())) {
        items.add(shown);
      }
    }
    Responses.json(
        ctx,
        new JsonObject()
            .put("region", quorum.self())
            .put("quorate", quorum.gate().quorate())
            .put("verdicts", items));
  }

  private void one(RoutingContext ctx) {
    String id = ctx.pathParam("target");
    Target t =
        config
            .target(id)
            .orElseThrow(() -> Problem.notFound("no target with id '" + Responses.clip(id) + "'"));
    Verdict v = quorum.verdict(id);
    JsonObject detail = VerdictViews.detail(v, t, config, clock.instant());
    maintenance.apply(id).ifPresent(o -> detail.mergeIn(VerdictViews.shown(v, o)));
    Responses.json(ctx, detail.put("region", quorum.self()));
  }
}
