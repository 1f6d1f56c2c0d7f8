package io.quorate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.ConfigLoader;
import io.quorate.config.MaintenanceWindow;
import io.quorate.config.Objectives;
import io.quorate.config.QuorateConfig;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.Vote;
import io.quorate.store.Timeline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The status document built from one snapshot, in token mode and redacted for public mode. */
class StatusBoardTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  static final String SHARED =
      String.join(
          "\n",
          "regions: [eu-west, us-east, ap-south]",
          "groups:",
          "  - {id: webfarm, name: Web hosting, description: Shared hosting servers}",
          "  - {id: mailfarm, name: Email}",
          "targets:",
          "  - {id: web-1, type: http, group: webfarm, address: 192.0.2.11, port: 8443,",
          "     http: {path: /internal-health}}",
          "  - {id: web-2, type: http, group: webfarm, address: 192.0.2.12, port: 8443}",
          "  - {id: web-3, type: http, group: webfarm, address: 192.0.2.13, port: 8443}",
          "  - {id: mx-a, type: smtp, group: mailfarm, address: 192.0.2.25, port: 2525}",
          "  - {id: backup-job, type: heartbeat, heartbeat: {periodMs: 86400000, graceMs: 3600000,",
          "     token: '${env:HB}'}}",
          "  - {id: ref-dns, type: tcp, address: 192.0.2.53, port: 53}",
          "statusPage:",
          "  title: Example Hosting status",
          "  public: true",
          "  members: {web-1: Web server 1, web-2: Web server 2, web-3: Web server 3,",
          "            mx-a: Mail server, backup-job: Nightly backup}",
          "  hidden: [ref-dns]",
          "");

  static QuorateConfig config() throws Exception {
    QuorateConfig c =
        new ConfigLoader(Map.of("HB", "hb-secret-token-0123456789")::get)
            .parseShared(SHARED, "x.yaml");
    MaintenanceWindow kernel =
        new MaintenanceWindow(
            "mw-kernel-7",
            "Mail server upgrade",
            "New mail server software",
            List.of("mx-a"),
            List.of(),
            NOW.minus(Duration.ofHours(1)),
            NOW.plus(Duration.ofHours(1)),
            null,
            MaintenanceWindow.FailoverMode.ACT,
            true);
    MaintenanceWindow quiet =
        new MaintenanceWindow(
            "mw-quiet",
            "Unannounced",
            null,
            List.of("web-3"),
            List.of(),
            NOW.plus(Duration.ofDays(1)),
            NOW.plus(Duration.ofDays(1).plusHours(1)),
            null,
            MaintenanceWindow.FailoverMode.FREEZE,
            false);
    MaintenanceWindow racks =
        new MaintenanceWindow(
            "mw-racks",
            "Rack move",
            null,
            List.of(),
            List.of("webfarm"),
            NOW.plus(Duration.ofDays(3)),
            NOW.plus(Duration.ofDays(3).plusHours(2)),
            null,
            MaintenanceWindow.FailoverMode.ACT,
            true);
    return new QuorateConfig(
        c.regions(),
        c.quorum(),
        c.defaults(),
        c.groups(),
        c.targets(),
        c.zones(),
        c.pools(),
        c.alerts(),
        List.of(kernel, quiet, racks),
        Objectives.NONE,
        c.statusPage());
  }

  static Verdict verdict(String id, Status s, Instant since, Status... votes) {
    String[] regions = {"eu-west", "us-east", "ap-south"};
    List<Verdict.VoteView> vv = new ArrayList<>();
    for (int i = 0; i < votes.length; i++) {
      boolean down = votes[i] == Status.DOWN;
      Vote v =
          new Vote(
              regions[i],
              id,
              votes[i],
              since,
              7,
              NOW,
              down ? Outcome.DOWN : Outcome.UP,
              down ? ErrorKind.REFUSED : null,
              down ? "connect to 192.0.2.11:8443 refused (ECONNREFUSED)" : "200 OK in 12 ms");
      vv.add(new Verdict.VoteView(regions[i], v, true, false));
    }
    return new Verdict(id, s, since, 3, false, 2, vv);
  }

  static StatusBoard.Inputs inputs() throws Exception {
    QuorateConfig cfg = config();
    Instant d12 = NOW.minus(Duration.ofDays(12).plusHours(3));
    Map<String, Verdict> verdicts =
        Map.of(
            "web-1", verdict("web-1", Status.UP, d12, Status.UP, Status.UP, Status.DOWN),
            "web-2", verdict("web-2", Status.DOWN, NOW.minusSeconds(300), Status.DOWN, Status.DOWN),
            "web-3", verdict("web-3", Status.UP, d12, Status.UP),
            "mx-a", verdict("mx-a", Status.DOWN, NOW.minusSeconds(60), Status.DOWN),
            "ref-dns", verdict("ref-dns", Status.DOWN, NOW, Status.DOWN));
    StatusBars.Bars bars = StatusBars.bars(new Timeline(Status.UP, null, List.of()), NOW);
    return new StatusBoard.Inputs(
        cfg,
        verdicts,
        Set.of("web-3"),
        new MaintenanceCalendar(cfg),
        Map.of("web-1", bars, StatusBoard.groupBars("webfarm"), bars),
        Set.of("eu-west", "us-east"),
        true,
        NOW);
  }

  @Test
  void tokenModeShowsGroupsStatesRegionsIncidentsAndNotices() throws Exception {
    JsonObject j = StatusJson.board(StatusBoard.build(inputs(), false));
    assertEquals("Example Hosting status", j.getString("title"));
    assertEquals("DEGRADED", j.getString("state"));
    JsonArray groups = j.getJsonArray("groups");
    assertEquals(List.of("webfarm", "mailfarm", "other"), keys(groups));
    JsonObject web = groups.getJsonObject(0);
    assertEquals("Web hosting", web.getString("name"));
    assertEquals("Shared hosting servers", web.getString("description"));
    assertEquals("DEGRADED", web.getString("state"));
    assertEquals(90, web.getJsonObject("uptime").getJsonArray("percent").size());
    assertEquals("2026-09-02", web.getJsonObject("uptime").getString("from"));
    // web-3 is drained: shown apart, not in the box
    assertEquals(List.of("web-1", "web-2"), keys(web.getJsonArray("members")));
    JsonObject w1 = web.getJsonArray("members").getJsonObject(0);
    assertEquals("Web server 1", w1.getString("name"));
    assertEquals("UP", w1.getString("state"));
    assertEquals(Duration.ofDays(12).plusHours(3).toMillis(), w1.getLong("forMs"));
    assertEquals(
        "[{\"region\":\"eu-west\",\"state\":\"UP\"},{\"region\":\"us-east\",\"state\":\"UP\"},"
            + "{\"region\":\"ap-south\",\"state\":\"DOWN\"}]",
        w1.getJsonArray("regions").encode());
    JsonObject mx = groups.getJsonObject(1).getJsonArray("members").getJsonObject(0);
    assertEquals("MAINTENANCE", mx.getString("state"));
    assertEquals("Mail server upgrade", mx.getJsonObject("maintenance").getString("title"));
    assertEquals("2026-11-30T13:00:00Z", mx.getJsonObject("maintenance").getString("until"));
    assertEquals("MAINTENANCE", groups.getJsonObject(1).getString("state"));
    assertNull(groups.getJsonObject(1).getValue("uptime"));
    // ref-dns is hidden; backup-job has no verdict yet
    assertEquals(List.of("backup-job"), keys(groups.getJsonObject(2).getJsonArray("members")));
    assertEquals("Other", groups.getJsonObject(2).getString("name"));
    assertEquals("UNKNOWN", groups.getJsonObject(2).getString("state"));
    assertEquals(
        "[{\"key\":\"web-3\",\"name\":\"Web server 3\",\"group\":\"Web hosting\","
            + "\"state\":\"UP\",\"preparing\":true}]",
        strip(j.getJsonArray("preparing")));
    assertEquals(
        "[{\"kind\":\"member\",\"key\":\"web-2\",\"name\":\"Web server 2\",\"state\":\"DOWN\","
            + "\"since\":\"2026-11-30T11:55:00Z\",\"forMs\":300000}]",
        j.getJsonArray("incidents").encode());
    JsonArray notices = j.getJsonArray("maintenance");
    assertEquals(2, notices.size());
    assertEquals(
        "{\"id\":\"mw-kernel-7\",\"title\":\"Mail server upgrade\","
            + "\"description\":\"New mail server software\",\"start\":\"2026-11-30T11:00:00Z\","
            + "\"end\":\"2026-11-30T13:00:00Z\",\"active\":true,\"affects\":[\"Mail server\"]}",
        notices.getJsonObject(0).encode());
    assertEquals("Rack move", notices.getJsonObject(1).getString("title"));
    assertFalse(notices.getJsonObject(1).getBoolean("active"));
    assertEquals(
        "[\"Web server 1\",\"Web server 2\",\"Web server 3\"]",
        notices.getJsonObject(1).getJsonArray("affects").encode());
    assertEquals(true, j.getBoolean("quorate"));
    assertEquals(
        "[{\"region\":\"eu-west\",\"state\":\"UP\"},{\"region\":\"us-east\",\"state\":\"UP\"},"
            + "{\"region\":\"ap-south\",\"state\":\"DOWN\"}]",
        j.getJsonArray("regions").encode());
  }

  @Test
  void aGroupWithEveryMemberDownIsAnIncidentOfItsOwn() throws Exception {
    StatusBoard.Inputs in = inputs();
    Map<String, Verdict> all = new java.util.HashMap<>(in.verdicts());
    all.put("web-1", verdict("web-1", Status.DOWN, NOW.minusSeconds(30), Status.DOWN));
    StatusBoard.Inputs down =
        new StatusBoard.Inputs(
            in.config(), all, in.drained(), in.calendar(), in.bars(), in.liveRegions(), true, NOW);
    JsonObject j = StatusJson.board(StatusBoard.build(down, false));
    assertEquals("DOWN", j.getString("state"));
    assertEquals(
        "group:webfarm:DOWN:2026-11-30T11:59:30Z,member:web-1:DOWN:2026-11-30T11:59:30Z,"
            + "member:web-2:DOWN:2026-11-30T11:55:00Z",
        String.join(
            ",",
            j.getJsonArray("incidents").stream()
                .map(o -> (JsonObject) o)
                .map(
                    o ->
                        o.getString("kind")
                            + ":"
                            + o.getString("key")
                            + ":"
                            + o.getString("state")
                            + ":"
                            + o.getString("since"))
                .toList()));
  }

  @Test
  void publicModeHoldsNoInternalString() throws Exception {
    JsonObject j = StatusJson.board(StatusBoard.build(inputs(), true));
    String text = j.encode();
    for (String internal :
        List.of(
            "192.0.2.",
            "8443",
            "2525",
            "internal-health",
            "http",
            "smtp",
            "heartbeat",
            "hb-secret",
            "eu-west",
            "us-east",
            "ap-south",
            "REFUSED",
            "refused",
            "ECONNREFUSED",
            "200 OK",
            "web-1",
            "web-2",
            "mx-a",
            "ref-dns",
            "webfarm",
            "mailfarm",
            "mw-kernel",
            "mw-quiet",
            "Unannounced",
            "backup-job",
            "pool",
            "vote",
            "region",
            "quorate",
            "obsSeq")) {
      assertFalse(text.contains(internal), "public JSON contains '" + internal + "': " + text);
    }
    assertEquals(true, j.getBoolean("public"));
    assertEquals(List.of("g1", "g2", "other"), keys(j.getJsonArray("groups")));
    JsonObject web = j.getJsonArray("groups").getJsonObject(0);
    assertEquals(List.of("t1", "t2"), keys(web.getJsonArray("members")));
    assertEquals("Web server 2", j.getJsonArray("incidents").getJsonObject(0).getString("name"));
    assertEquals("t2", j.getJsonArray("incidents").getJsonObject(0).getString("key"));
    assertEquals("Web server 3", j.getJsonArray("preparing").getJsonObject(0).getString("name"));
    assertEquals(2, j.getJsonArray("maintenance").size());
    assertTrue(text.contains("\"Mail server upgrade\""));
    assertTrue(text.contains("\"Nightly backup\""));
  }

  private static List<String> keys(JsonArray a) {
    return a.stream().map(o -> ((JsonObject) o).getString("key")).toList();
  }

  /** Members without the time-dependent and null fields. */
  private static String strip(JsonArray a) {
    JsonArray out = new JsonArray();
    for (Object o : a) {
      JsonObject m = ((JsonObject) o).copy();
      for (String k : List.of("since", "forMs", "maintenance", "uptime", "regions")) {
        m.remove(k);
      }
      out.add(m);
    }
    return out.encode();
  }
}
