package io.quorate.api;

import io.quorate.config.MaintenanceWindow;
import io.quorate.config.QuorateConfig;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.maintenance.MaintenanceService;
import io.quorate.maintenance.Recurrences;
import io.quorate.maintenance.SharedWindows;
import io.quorate.mesh.MeshMessage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /maintenance}: every window (the config file's and those created here) with its current
 * and next occurrence and the targets it covers (read); create and delete windows (operate). A
 * window created in one region is shared with every region (ADR 0014).
 */
public final class MaintenanceResource {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceResource.class);

  /** How far ahead the next occurrence of a recurring window is looked for. */
  static final Duration HORIZON = Duration.ofDays(366);

  private final Vertx vertx;
  private final MaintenanceService maintenance;
  private final QuorateConfig config;
  private final BearerAuth auth;
  private final Clock clock;

  public MaintenanceResource(
      Vertx vertx,
      MaintenanceService maintenance,
      QuorateConfig config,
      BearerAuth auth,
      Clock clock) {
    this.vertx = vertx;
    this.maintenance = maintenance;
    this.config = config;
    this.auth = auth;
    this.clock = clock;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::list);
    r.post("/").handler(auth.require(Scope.OPERATE)).handler(this::create);
    r.get("/:id").handler(this::one);
    r.delete("/:id").handler(auth.require(Scope.OPERATE)).handler(this::delete);
    return r;
  }

  private void list(RoutingContext ctx) {
    String active = ctx.request().getParam("active");
    if (active != null && !active.equals("true") && !active.equals("false")) {
      throw Problem.badRequest("query parameter 'active' must be true or false");
    }
    Instant now = clock.instant();
    JsonArray items = new JsonArray();
    for (MaintenanceWindow w : maintenance.calendar().windows()) {
      JsonObject v = view(w, now);
      if (active == null || v.getBoolean("active") == active.equals("true")) {
        items.add(v);
      }
    }
    Responses.json(ctx, new JsonObject().put("windows", items));
  }

  private void one(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    MaintenanceWindow w =
        maintenance.calendar().windows().stream()
            .filter(x -> x.id().equals(id))
            .findFirst()
            .orElseThrow(() -> notFound(id));
    Responses.json(ctx, view(w, clock.instant()));
  }

  private void create(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    if (body == null) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    MeshMessage.Window w = MaintenanceRequest.parse(body, config, clock.instant());
    String who = "token:" + ctx.get(BearerAuth.PRINCIPAL_KEY);
    refusing(() -> maintenance.shared().create(w))
        .onSuccess(
            created -> {
              LOG.info("maintenance created id={} by={}", created.id(), who);
              MaintenanceWindow mw =
                  maintenance.calendar().windows().stream()
                      .filter(x -> x.id().equals(created.id()))
                      .findFirst()
                      .orElseThrow();
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("Location", "/api/v1/maintenance/" + created.id());
              Responses.json(ctx, view(mw, clock.instant()));
            })
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String who = "token:" + ctx.get(BearerAuth.PRINCIPAL_KEY);
    refusing(() -> maintenance.shared().delete(id))
        .onSuccess(
            gone -> {
              LOG.info("maintenance deleted id={} by={}", id, who);
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(ctx::fail);
  }

  /** Runs {@code op}, turning a refusal into its problem. */
  private static <T> io.vertx.core.Future<T> refusing(
      java.util.function.Supplier<io.vertx.core.Future<T>> op) {
    try {
      return op.get();
    } catch (SharedWindows.Refused e) {
      return io.vertx.core.Future.failedFuture(
          switch (e.kind()) {
            case NOT_FOUND -> Problem.notFound(e.getMessage());
            case CONFIGURED ->
                new Problem(409, "conflict", "Conflict", e.getMessage() + "; change it there");
            case EXISTS, FULL -> new Problem(409, "conflict", "Conflict", e.getMessage());
          });
    }
  }

  private Problem notFound(String id) {
    return Problem.notFound("no maintenance window with id '" + Responses.clip(id) + "'");
  }

  private JsonObject view(MaintenanceWindow w, Instant now) {
    MaintenanceCalendar cal = maintenance.calendar();
    boolean fromConfig = cal.configured(w.id());
    Optional<MeshMessage.Window> shared = maintenance.shared().live(w.id());
    List<Recurrences.Interval> occ = occurrences(w, now);
    Recurrences.Interval current =
        occ.stream()
            .filter(i -> !now.isBefore(i.start()) && now.isBefore(i.end()))
            .findFirst()
            .orElse(null);
    Recurrences.Interval next =
        occ.stream().filter(i -> i.start().isAfter(now)).findFirst().orElse(null);
    return new JsonObject()
        .put("id", w.id())
        .put("title", w.title())
        .put("description", w.description())
        .put("source", fromConfig ? "config" : "api")
        .put("targets", new JsonArray(new ArrayList<>(w.targets())))
        .put("groups", new JsonArray(new ArrayList<>(w.groups())))
        .put("start", JsonViews.time(w.start()))
        .put("end", JsonViews.time(w.end()))
        .put("every", w.recurring() ? w.recurrence().text() : null)
        .put("failover", w.failover().name().toLowerCase(Locale.ROOT))
        .put("announce", w.announce())
        .put("updatedAt", shared.map(s -> JsonViews.time(s.updatedAt())).orElse(null))
        .put("active", current != null)
        .put("current", interval(current))
        .put("next", interval(next))
        .put("covered", new JsonArray(new ArrayList<>(cal.targets(w.id()))));
  }

  /** The window's occurrences from a week ago to a year ahead (recurring: when expandable). */
  private static List<Recurrences.Interval> occurrences(MaintenanceWindow w, Instant now) {
    if (!w.recurring()) {
      return List.of(new Recurrences.Interval(w.start(), w.end()));
    }
    try {
      return Recurrences.between(
          w.recurrence(), now.minus(MaintenanceCalendar.MAX_OCCURRENCE), now.plus(HORIZON));
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static JsonObject interval(Recurrences.Interval i) {
    return i == null
        ? null
        : new JsonObject()
            .put("start", JsonViews.time(i.start()))
            .put("end", JsonViews.time(i.end()));
  }
}
