package io.quorate.api;

import static io.quorate.api.ApiRouterTest.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/sla/report} over HTTP on a real store ({@link SlaReportFixture}): exact figures
 * for every group and target, incidents, maintenance, credits; the period; content negotiation; bad
 * input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlaReportResourceTest {
  @TempDir static Path dir;
  SlaReportFixture f;

  @BeforeAll
  void start() throws Exception {
    f = new SlaReportFixture(dir);
  }

  @AfterAll
  void stop() throws Exception {
    f.close();
  }

  JsonObject json(String query) throws Exception {
    HttpResponse<Buffer> r = f.get("sla/report" + query, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("application/json", r.getHeader("Content-Type"));
    return r.bodyAsJsonObject();
  }

  @Test
  void monthFiguresForEveryGroupAndTarget() throws Exception {
    JsonObject j = json("?month=2026-11");
    assertEquals("Acme status", j.getString("title"));
    assertEquals("2026-11", j.getString("month"));
    assertEquals("2026-11-01T00:00:00Z", j.getString("from"));
    assertEquals("2026-12-01T00:00:00Z", j.getString("to"));
    assertEquals("2026-12-15T00:00:00Z", j.getString("generatedAt"));
    JsonArray groups = j.getJsonArray("groups");
    assertEquals(2, groups.size());
    // the whole group was down only 30 min (both members at once): 99.95 missed, tier <99.95
    JsonObject web = groups.getJsonObject(0);
    assertRow(web, "web", "Web", 99.930556, 99.95, false, 30.0, 0.0, 0.0, 1, 10.0);
    assertEquals("tiers", web.getString("creditRule"));
    assertEquals("sla.groups.web", web.getString("termsFrom"));
    assertEquals(
        new JsonObject().put("belowPercent", 99.95).put("creditPercent", 10.0),
        web.getJsonObject("tier"));
    JsonArray members = web.getJsonArray("targets");
    assertEquals(2, members.size());
    // a member is judged by its group's terms
    assertRow(
        members.getJsonObject(0),
        "web-1",
        "web-1",
        99.826389,
        99.95,
        false,
        75.0,
        0.0,
        0.0,
        2,
        10.0);
    assertRow(
        members.getJsonObject(1),
        "web-2",
        "web-2",
        99.884259,
        99.95,
        false,
        50.0,
        0.0,
        0.0,
        1,
        10.0);
    JsonObject evil = groups.getJsonObject(1);
    assertRow(evil, "evil", SlaReportFixture.HOSTILE, 100.0, 99.9, true, 0.0, 0.0, 1440.0, 0, 0.0);
    assertEquals("sla", evil.getString("termsFrom"));
    JsonArray ungrouped = j.getJsonArray("ungrouped");
    assertEquals(1, ungrouped.size());
    // maintenance is left out of the denominator: 90 min down of 43,080 counted
    JsonObject db = ungrouped.getJsonObject(0);
    assertRow(db, "db-1", "=SUM(1,2)", 99.791086, 99.9, false, 90.0, 120.0, 0.0, 1, 0.208914);
    assertEquals("downtime-percentage", db.getString("creditRule"));
    assertEquals(5, j.getInteger("incidentCount"));
    assertEquals(
        List.of(
            "web-1|web|false|2026-11-03T10:00:00Z|2026-11-03T10:45:00Z|2700000",
            "db-1|null|false|2026-11-05T02:00:00Z|2026-11-05T03:30:00Z|5400000",
            "web-2|web|false|2026-11-20T11:50:00Z|2026-11-20T12:40:00Z|3000000",
            "null|web|true|2026-11-20T12:00:00Z|2026-11-20T12:30:00Z|1800000",
            "web-1|web|false|2026-11-20T12:00:00Z|2026-11-20T12:30:00Z|1800000"),
        j.getJsonArray("incidents").stream()
            .map(o -> (JsonObject) o)
            .map(
                i ->
                    i.getString("target")
                        + "|"
                        + i.getString("group")
                        + "|"
                        + i.getBoolean("wholeGroup")
                        + "|"
                        + i.getString("start")
                        + "|"
                        + i.getString("end")
                        + "|"
                        + i.getLong("durationMs"))
            .toList());
    // only the window that occurred in November
    assertEquals(
        new JsonArray()
            .add(
                new JsonObject()
                    .put("id", "db-upgrade")
                    .put("title", "Database upgrade")
                    .put("start", "2026-11-05T00:00:00Z")
                    .put("end", "2026-11-05T02:00:00Z")
                    .put("durationMs", 7_200_000)
                    .put("groups", new JsonArray())
                    .put("targets", new JsonArray().add("db-1"))
                    .put("failover", "act")),
        j.getJsonArray("maintenance"));
    assertTrue(j.getString("method").contains("UNKNOWN"), j.getString("method"));
  }

  static void assertRow(
      JsonObject r,
      String id,
      String name,
      Double uptime,
      Double objective,
      Boolean met,
      double down,
      double maint,
      double unknown,
      int incidents,
      Double credit) {
    assertEquals(id, r.getString("id"), r.encode());
    assertEquals(name, r.getString("name"), r.encode());
    assertEquals(uptime, r.getDouble("uptimePercent"), r.encode());
    assertEquals(objective, r.getDouble("objectivePercent"), r.encode());
    assertEquals(met, r.getBoolean("met"), r.encode());
    assertEquals(down, r.getDouble("downtimeMinutes"), r.encode());
    assertEquals(0.0, r.getDouble("degradedMinutes"), r.encode());
    assertEquals(maint, r.getDouble("maintenanceMinutes"), r.encode());
    assertEquals(unknown, r.getDouble("unknownMinutes"), r.encode());
    assertEquals(incidents, r.getInteger("incidentCount"), r.encode());
    assertEquals(credit, r.getDouble("creditPercent"), r.encode());
  }

  @Test
  void figuresAreThoseOfTheSlaEndpoint() throws Exception {
    JsonObject one = f.get("sla?group=web&month=2026-11", null).bodyAsJsonObject();
    JsonObject web = json("?month=2026-11").getJsonArray("groups").getJsonObject(0);
    assertEquals(one.getDouble("uptimePercent"), web.getDouble("uptimePercent"));
    assertEquals(one.getDouble("downtimeMinutes"), web.getDouble("downtimeMinutes"));
    assertEquals(
        one.getJsonObject("contract").getDouble("creditPercent"), web.getDouble("creditPercent"));
  }

  @Test
  void defaultIsThePreviousFullUtcMonthAndARangeWorks() throws Exception {
    assertEquals("2026-11", json("").getString("month"));
    JsonObject day = json("?from=2026-11-20&to=2026-11-21");
    assertNull(day.getString("month"));
    JsonObject web = day.getJsonArray("groups").getJsonObject(0);
    assertEquals(30.0, web.getDouble("downtimeMinutes"));
    assertEquals(Math.round(100.0 * 1410 / 1440 * 1e6) / 1e6, web.getDouble("uptimePercent"));
    assertEquals(0, day.getJsonArray("maintenance").size());
    assertEquals(3, day.getInteger("incidentCount"));
  }

  @Test
  void formatByAcceptOrQueryAnd406() throws Exception {
    String[][] cases = {
      {"text/csv", "", "text/csv; charset=utf-8; header=present"},
      {"text/markdown", "", "text/markdown; charset=utf-8; variant=GFM"},
      {
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "",
        "text/html; charset=utf-8"
      },
      {"text/csv;q=0, application/json", "", "application/json"},
      {"text/csv;q=0.5, text/markdown", "", "text/markdown; charset=utf-8; variant=GFM"},
      {"*/*", "", "application/json"},
      {"application/xml", "&format=csv", "text/csv; charset=utf-8; header=present"},
      {null, "&format=markdown", "text/markdown; charset=utf-8; variant=GFM"},
      {null, "&format=html", "text/html; charset=utf-8"},
    };
    for (String[] c : cases) {
      HttpResponse<Buffer> r = f.get("sla/report?month=2026-11" + c[1], c[0]);
      assertEquals(200, r.statusCode(), c[0] + c[1] + ": " + r.bodyAsString());
      assertEquals(c[2], r.getHeader("Content-Type"), c[0] + c[1]);
      assertEquals("Accept", r.getHeader("Vary"));
    }
    assertProblem(f.get("sla/report?month=2026-11", "application/xml"), 406, "not-acceptable");
    assertProblem(f.get("sla/report?month=2026-11", "text/csv;q=0"), 406, "not-acceptable");
  }

  @Test
  void badInputIsAProblem() throws Exception {
    String[][] cases = {
      {"?month=2026-13", "query parameter 'month' must be YYYY-MM, got '2026-13'"},
      {"?month=november", "query parameter 'month' must be YYYY-MM, got 'november'"},
      {"?month=1999-12", "query parameter 'month' must be YYYY-MM, got '1999-12'"},
      {"?month=2026-11&from=2026-11-01", "give either 'month' or 'from' and 'to', not both"},
      {"?from=2026-11-01", "query parameter 'to' is required (or give 'month')"},
      {"?from=2026-11-02&to=2026-11-01", "'from' must be before 'to'"},
      {"?from=2020-01-01&to=2026-01-01", "the window may span at most 800 days"},
      {"?format=pdf", "query parameter 'format' must be json, csv, md or html, got 'pdf'"},
    };
    for (String[] c : cases) {
      HttpResponse<Buffer> r = f.get("sla/report" + c[0], null);
      assertProblem(r, 400, "bad-request");
      assertEquals(c[1], r.bodyAsJsonObject().getString("detail"), c[0]);
    }
    HttpResponse<Buffer> big = f.get("small/report?month=2026-11", null);
    assertProblem(big, 400, "bad-request");
    assertEquals(
        "a report covers at most 3 targets; the config has 4",
        big.bodyAsJsonObject().getString("detail"));
    var anonymous =
        ApiRouterTest.await(f.client.get(f.port, "127.0.0.1", "/api/v1/sla/report").send());
    assertProblem(anonymous, 401, "unauthorized");
  }
}
