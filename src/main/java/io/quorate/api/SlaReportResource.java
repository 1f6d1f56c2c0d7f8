package io.quorate.api;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.store.StoreException;
import io.quorate.store.Timeline;
import io.quorate.store.VerdictHistory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /sla/report?month=YYYY-MM} (or {@code from}/{@code to}; default the previous full UTC
 * month): the monthly SLA report over every group and target, with incidents, maintenance and
 * credits, as JSON, CSV, Markdown or a printable HTML page (docs/sla-slo.md, "Monthly report").
 * Timelines are read on the store's thread in batches; the figures ({@link MonthlyReport}, from
 * {@code Sla.compute}) and the rendering run on a worker, never on the event loop.
 */
public final class SlaReportResource {
  /** Default bound on the targets of one report. */
  public static final int MAX_TARGETS = 2_000;

  /** Timelines read at once (each is one store read). */
  static final int BATCH = 50;

  /** Verdict transitions one report holds in memory at most. */
  static final long MAX_CHANGES = 1_000_000;

  private final Vertx vertx;
  private final VerdictHistory history;
  private final QuorateConfig config;
  private final MaintenanceCalendar calendar;
  private final Clock clock;
  private final int maxTargets;

  public SlaReportResource(
      Vertx vertx,
      VerdictHistory history,
      QuorateConfig config,
      MaintenanceCalendar calendar,
      Clock clock) {
    this(vertx, history, config, calendar, clock, MAX_TARGETS);
  }

  /** With another bound on the number of targets (tests). */
  public SlaReportResource(
      Vertx vertx,
      VerdictHistory history,
      QuorateConfig config,
      MaintenanceCalendar calendar,
      Clock clock,
      int maxTargets) {
    this.vertx = vertx;
    this.history = history;
    this.config = config;
    this.calendar = calendar;
    this.clock = clock;
    this.maxTargets = maxTargets;
  }

  /** Serves {@code GET /} at its mount point ({@code /api/v1/sla/report}). */
  public Router router() {
    Router r = Router.router(vertx);
    r.get("/").handler(this::report);
    return r;
  }

  private void report(RoutingContext ctx) {
    SlaReportQuery q = SlaReportQuery.parse(ctx.request().params(), clock);
    ReportFormat format =
        ReportFormat.choose(ctx.request().getParam("format"), ctx.request().getHeader("Accept"));
    List<String> ids = config.targets().stream().map(Target::id).toList();
    if (ids.size() > maxTargets) {
      throw Problem.badRequest(
          "a report covers at most " + maxTargets + " targets; the config has " + ids.size());
    }
    read(ids, q, 0, new HashMap<>())
        .recover(SlaReportResource::tooBusy)
        .compose(
            timelines -> vertx.executeBlocking(() -> render(format, build(q, timelines)), false))
        .onSuccess(body -> send(ctx, format, q, body))
        .onFailure(ctx::fail);
  }

  private MonthlyReport build(SlaReportQuery q, Map<String, Timeline> timelines) {
    return MonthlyReport.build(
        config, q, timelines, calendar.between(q.from(), q.to()), clock.instant());
  }

  /** Reads timelines {@code BATCH} at a time so one report never floods the store's queue. */
  private Future<Map<String, Timeline>> read(
      List<String> ids, SlaReportQuery q, int start, Map<String, Timeline> into) {
    if (start >= ids.size()) {
      return Future.succeededFuture(into);
    }
    List<String> batch = ids.subList(start, Math.min(ids.size(), start + BATCH));
    List<Future<Timeline>> reads = new ArrayList<>(batch.size());
    batch.forEach(id -> reads.add(history.timeline(id, q.from(), q.to())));
    return Future.all(reads)
        .compose(
            all -> {
              for (int i = 0; i < batch.size(); i++) {
                into.put(batch.get(i), all.resultAt(i));
              }
              long changes = into.values().stream().mapToLong(t -> t.changes().size()).sum();
              if (changes > MAX_CHANGES) {
                return Future.failedFuture(
                    Problem.badRequest(
                        "more than "
                            + MAX_CHANGES
                            + " verdict transitions in the window; narrow it"));
              }
              return read(ids, q, start + batch.size(), into);
            });
  }

  /** A window with more transitions than one report reads is the client's to narrow. */
  private static <T> Future<T> tooBusy(Throwable err) {
    if (err instanceof StoreException e && e.kind() == StoreException.Kind.FULL) {
      return Future.failedFuture(Problem.badRequest(e.getMessage()));
    }
    return Future.failedFuture(err);
  }

  static String render(ReportFormat f, MonthlyReport m) {
    return switch (f) {
      case JSON -> SlaReportJson.render(m).encode();
      case CSV -> SlaReportCsv.render(m);
      case MARKDOWN -> SlaReportMarkdown.render(m);
      case HTML -> SlaReportHtml.render(m);
    };
  }

  private static void send(RoutingContext ctx, ReportFormat f, SlaReportQuery q, String body) {
    var res = ctx.response();
    res.putHeader("Content-Type", f.contentType)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Vary", "Accept")
        .putHeader("X-Content-Type-Options", "nosniff");
    String name = "sla-report-" + (q.month() != null ? q.month() : "range") + "." + f.key;
    if (f == ReportFormat.HTML) {
      res.putHeader("Content-Security-Policy", SlaReportHtml.CSP)
          .putHeader("Referrer-Policy", "no-referrer");
    } else if (f != ReportFormat.JSON) {
      res.putHeader("Content-Disposition", "inline; filename=\"" + name + "\"");
    }
    res.end(body);
  }
}
