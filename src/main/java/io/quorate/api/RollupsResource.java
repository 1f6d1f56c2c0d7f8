package io.quorate.api;

import io.quorate.config.QuorateConfig;
import io.quorate.store.Rollups;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code GET /rollups?target=&from=&to=&step=minute|day}: this agent's own per-minute or per-day
 * counts by outcome and latency percentiles of one target (ADR 0015), oldest first. Windows are
 * bounded ({@value #MAX_MINUTE_DAYS} days of minutes, {@value #MAX_DAY_DAYS} days of days), so a
 * response has at most 10,080 rows.
 */
public final class RollupsResource {
  static final int MAX_MINUTE_DAYS = 7;
  static final int MAX_DAY_DAYS = 800;

  private final Vertx vertx;
  private final Supplier<Rollups> rollups;
  private final QuorateConfig config;
  private final String region;
  private final Clock clock;

  /** {@code rollups} supplies the store's rollups, or {@code null} until the store is open. */
  public RollupsResource(
      Vertx vertx, Supplier<Rollups> rollups, QuorateConfig config, String region, Clock clock) {
    this.vertx = vertx;
    this.rollups = rollups;
    this.config = config;
    this.region = region;
    this.clock = clock;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    return r;
  }

  private void list(RoutingContext ctx) {
    MultiMap params = ctx.request().params();
    String target = params.get("target");
    if (target == null) {
      throw Problem.badRequest("query parameter 'target' is required");
    }
    Rollups.Step step = step(params.get("step"));
    Duration max = Duration.ofDays(step == Rollups.Step.MINUTE ? MAX_MINUTE_DAYS : MAX_DAY_DAYS);
    Instant to = TimeParams.instant(params, "to", clock.instant());
    Instant from =
        TimeParams.instant(
            params,
            "from",
            to.minus(step == Rollups.Step.MINUTE ? Duration.ofHours(1) : Duration.ofDays(30)));
    TimeParams.check(from, to, max, max.toDays() + " days with step=" + wire(step));
    if (config.target(target).isEmpty()) {
      throw Problem.notFound("no target with id '" + Responses.clip(target) + "'");
    }
    Rollups store = rollups.get();
    if (store == null) {
      throw new Problem(503, "unavailable", "Service Unavailable", "the store is not open yet");
    }
    int limit = (int) (max.toMillis() / step.length().toMillis());
    store
        .rows(step, target, from, to, limit)
        .map(rows -> view(target, step, from, to, rows))
        .onSuccess(body -> Responses.json(ctx, body))
        .onFailure(ctx::fail);
  }

  private static Rollups.Step step(String s) {
    if (s == null || s.equals("minute")) {
      return Rollups.Step.MINUTE;
    }
    if (s.equals("day")) {
      return Rollups.Step.DAY;
    }
    throw Problem.badRequest(
        "query parameter 'step' must be 'minute' or 'day', got '" + Responses.clip(s) + "'");
  }

  private static String wire(Rollups.Step step) {
    return step.name().toLowerCase(Locale.ROOT);
  }

  private JsonObject view(
      String target,
      Rollups.Step step,
      Instant from,
      Instant to,
      java.util.List<Rollups.Row> rows) {
    JsonArray items = new JsonArray();
    for (Rollups.Row r : rows) {
      items.add(
          new JsonObject()
              .put("start", JsonViews.time(r.start()))
              .put("region", region)
              .put("count", r.up() + r.down() + r.degraded())
              .put("up", r.up())
              .put("down", r.down())
              .put("degraded", r.degraded())
              .put("p50Ms", ms(r.p50Micros()))
              .put("p95Ms", ms(r.p95Micros()))
              .put("maxMs", ms(r.maxMicros())));
    }
    return new JsonObject()
        .put("target", target)
        .put("region", region)
        .put("step", wire(step))
        .put("from", JsonViews.time(from))
        .put("to", JsonViews.time(to))
        .put("rows", items);
  }

  private static Double ms(Long micros) {
    return micros == null ? null : micros / 1000.0;
  }
}
