package io.quorate.api;

import static io.quorate.api.ApiRouterTest.await;

import io.quorate.config.MaintenanceWindow;
import io.quorate.config.Objectives;
import io.quorate.config.QuorateConfig;
import io.quorate.config.RegionConfig.ApiToken;
import io.quorate.config.RegionConfig.Scope;
import io.quorate.config.Secret;
import io.quorate.config.StatusPage;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.store.Database;
import io.quorate.store.Sla;
import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.MutableClock;
import io.quorate.testsupport.Targets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real store filled through {@link VerdictHistory} for November 2026 (30 days, 43,200 min), seen
 * on 2026-12-15, and the report mounted the way the agent mounts it:
 *
 * <ul>
 *   <li>group {@code web} ("Web", terms {@code sla.groups.web}: 99.95, tiers {@code <99.95: 10,
 *       <99: 25}): web-1 down 11-03 10:00–10:45 alone and 11-20 12:00–12:30; web-2 down 11-20
 *       11:50–12:40; the whole group down 12:00–12:30 (30 min);
 *   <li>group {@code evil} named {@code <script>alert("x")</script>}: api-1 UP from 11-02 (one day
 *       unknown);
 *   <li>db-1 without a group, shown as {@code =SUM(1,2)}: maintenance 11-05 00:00–02:00 (window
 *       {@code db-upgrade}), then down 02:00–03:30; default terms 99.9, downtime percentage, max
 *       50.
 * </ul>
 */
final class SlaReportFixture implements AutoCloseable {
  static final String READ = "read-token-0123456789abcdef";
  static final String HOSTILE = "<script>alert(\"x\")</script>";
  static final Instant NOW = Instant.parse("2026-12-15T00:00:00Z");

  final Vertx vertx = Vertx.vertx();
  final Database db;
  final WebClient client;
  final int port;

  SlaReportFixture(Path dir) throws Exception {
    db = await(Database.open(vertx, dir));
    MutableClock clock = new MutableClock(NOW);
    VerdictHistory history = new VerdictHistory(db, clock);
    fill(history);
    QuorateConfig config = config();
    MaintenanceCalendar calendar = new MaintenanceCalendar(config);
    BearerAuth auth =
        new BearerAuth(
            List.of(new ApiToken("ops", new Secret("${env:R}", READ), Set.of(Scope.READ))));
    Router router =
        new ApiRouter(vertx, auth, new HealthResource(vertx, () -> true), null)
            .read(
                "sla/report",
                new SlaReportResource(vertx, history, config, calendar, clock).router())
            .read("sla", new SlaResource(vertx, history, config, auth, clock).router())
            .read(
                "small/report",
                new SlaReportResource(vertx, history, config, calendar, clock, 3).router())
            .build();
    ApiVerticle api = new ApiVerticle("127.0.0.1", 0, () -> router);
    await(vertx.deployVerticle(api));
    port = api.actualPort();
    client = WebClient.create(vertx);
  }

  static void fill(VerdictHistory h) throws Exception {
    record(h, "web-1", Status.UNKNOWN, Status.UP, "2026-10-01T00:00:00Z");
    record(h, "web-1", Status.UP, Status.DOWN, "2026-11-03T10:00:00Z");
    record(h, "web-1", Status.DOWN, Status.UP, "2026-11-03T10:45:00Z");
    record(h, "web-1", Status.UP, Status.DOWN, "2026-11-20T12:00:00Z");
    record(h, "web-1", Status.DOWN, Status.UP, "2026-11-20T12:30:00Z");
    record(h, "web-2", Status.UNKNOWN, Status.UP, "2026-10-01T00:00:00Z");
    record(h, "web-2", Status.UP, Status.DOWN, "2026-11-20T11:50:00Z");
    record(h, "web-2", Status.DOWN, Status.UP, "2026-11-20T12:40:00Z");
    record(h, "api-1", Status.UNKNOWN, Status.UP, "2026-11-02T00:00:00Z");
    record(h, "db-1", Status.UNKNOWN, Status.UP, "2026-10-01T00:00:00Z");
    record(h, "db-1", Status.UP, Status.MAINTENANCE, "2026-11-05T00:00:00Z");
    record(h, "db-1", Status.MAINTENANCE, Status.DOWN, "2026-11-05T02:00:00Z");
    record(h, "db-1", Status.DOWN, Status.UP, "2026-11-05T03:30:00Z");
  }

  static QuorateConfig config() {
    Sla.Tiers webTiers = new Sla.Tiers(List.of(new Sla.Tier(99.95, 10), new Sla.Tier(99.0, 25)));
    return new QuorateConfig(
        List.of("eu-west"),
        QuorateConfig.Quorum.defaults(1),
        QuorateConfig.Defaults.DEFAULT,
        List.of(
            new QuorateConfig.Group("web", "Web", "", null),
            new QuorateConfig.Group("evil", HOSTILE, "", null)),
        List.of(
            Targets.inGroup(Targets.fake("web-1", 10_000, 5_000), "web", 2),
            Targets.inGroup(Targets.fake("web-2", 10_000, 5_000), "web", 2),
            Targets.inGroup(Targets.fake("api-1", 10_000, 5_000), "evil", 2),
            Targets.fake("db-1", 10_000, 5_000)),
        List.of(),
        List.of(),
        io.quorate.config.Alerts.NONE,
        List.of(
            window("db-upgrade", "2026-11-05T00:00:00Z", "2026-11-05T02:00:00Z"),
            window("october", "2026-10-10T00:00:00Z", "2026-10-10T01:00:00Z")),
        new Objectives(
            new Sla.Terms(99.9, Sla.DowntimePercentage.INSTANCE, 50.0),
            Map.of("web", new Sla.Terms(99.95, webTiers, null)),
            List.of()),
        new StatusPage("Acme status", false, Map.of("db-1", "=SUM(1,2)"), List.of()));
  }

  private static MaintenanceWindow window(String id, String start, String end) {
    return new MaintenanceWindow(
        id,
        id.equals("db-upgrade") ? "Database upgrade" : "October work",
        null,
        List.of("db-1"),
        List.of(),
        Instant.parse(start),
        Instant.parse(end),
        null,
        MaintenanceWindow.FailoverMode.ACT,
        true);
  }

  static void record(VerdictHistory h, String target, Status from, Status to, String at)
      throws Exception {
    Instant since = Instant.parse(at);
    await(
        h.record(
            new VerdictChange(
                new Verdict(target, from, null, 0, false, 1, List.of()),
                new Verdict(target, to, since, 1, false, 1, List.of()))));
  }

  /** GET {@code /api/v1/<path>} with the read token and {@code accept} (or none). */
  HttpResponse<Buffer> get(String path, String accept) throws Exception {
    var req = client.get(port, "127.0.0.1", "/api/v1/" + path);
    req.putHeader("Authorization", "Bearer " + READ);
    if (accept != null) {
      req.putHeader("Accept", accept);
    }
    return await(req.send());
  }

  @Override
  public void close() throws Exception {
    await(db.close());
    await(vertx.close());
  }
}
