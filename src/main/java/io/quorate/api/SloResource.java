package io.quorate.api;

import io.quorate.config.Objectives;
import io.quorate.slo.SloService;
import io.quorate.store.Slo;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /slo} (every SLO) and {@code GET /slo/{id}}: objective, rolling window, error budget
 * (total, consumed, remaining) and burn rates as last evaluated by {@link SloService} (every 30 s).
 * Read scope (mounted with {@link ApiRouter#read}); an unknown id is a 404 problem.
 */
public final class SloResource {
  private final Vertx vertx;
  private final SloService service;

  public SloResource(Vertx vertx, SloService service) {
    this.vertx = vertx;
    this.service = service;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    r.get("/:id").handler(this::one);
    return r;
  }

  private void list(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    service.views().forEach(v -> items.add(view(v)));
    Responses.json(ctx, new JsonObject().put("slos", items));
  }

  private void one(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    SloService.View v =
        service
            .view(id)
            .orElseThrow(() -> Problem.notFound("no SLO with id '" + Responses.clip(id) + "'"));
    Responses.json(ctx, view(v));
  }

  static JsonObject view(SloService.View v) {
    Objectives.Slo slo = v.slo();
    JsonObject j =
        new JsonObject()
            .put("id", slo.id())
            .put("target", slo.target())
            .put("group", v.group())
            .put("objectivePercent", slo.objectivePercent())
            .put("windowDays", slo.windowDays())
            .put("alert", v.level().wireName())
            .put("error", v.error());
    Slo.Status s = v.status();
    if (s == null) {
      return j.put("evaluatedAt", null);
    }
    JsonObject burns = new JsonObject();
    for (Slo.BurnWindow w : Slo.BurnWindow.values()) {
      burns.put(w.label(), round(s.burn(w)));
    }
    return j.put("evaluatedAt", JsonViews.time(s.evaluatedAt()))
        .put("from", JsonViews.time(s.from()))
        .put("countedMinutes", minutes(s.countedMs()))
        .put("unknownMinutes", minutes(s.unknownMs()))
        .put("maintenanceMinutes", minutes(s.maintenanceMs()))
        .put(
            "errorBudget",
            new JsonObject()
                .put("totalMinutes", round(s.budgetMinutes()))
                .put("consumedMinutes", round(s.consumedMinutes()))
                .put("remainingMinutes", round(s.remainingMinutes()))
                .put("remainingRatio", round(s.remainingRatio())))
        .put("burnRates", burns);
  }

  private static double minutes(long ms) {
    return Math.round(ms / 60.0) / 1000.0;
  }

  private static Double round(Double d) {
    return d == null ? null : Math.round(d * 1_000_000) / 1_000_000.0;
  }
}
