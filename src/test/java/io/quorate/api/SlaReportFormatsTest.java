package io.quorate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact shape of each format of the monthly report on {@link SlaReportFixture}: CSV rows and
 * its injection guard, the Markdown tables, and a self-contained, escaped HTML page under a strict
 * CSP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlaReportFormatsTest {
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

  String body(String format) throws Exception {
    HttpResponse<Buffer> r = f.get("sla/report?month=2026-11&format=" + format, null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsString();
  }

  @Test
  void csvIsOneRfc4180RowPerGroupAndTargetWithAFormulaGuard() throws Exception {
    HttpResponse<Buffer> r = f.get("sla/report?month=2026-11", "text/csv");
    assertEquals("inline; filename=\"sla-report-2026-11.csv\"", r.getHeader("Content-Disposition"));
    List<String> lines = List.of(r.bodyAsString().split("\r\n", -1));
    assertEquals(
        List.of(
            "group,groupName,kind,id,name,uptimePercent,objectivePercent,met,downtimeMinutes,"
                + "degradedMinutes,maintenanceMinutes,unknownMinutes,incidentCount,creditPercent,"
                + "creditRule,termsFrom",
            "web,Web,group,web,Web,99.930556,99.95,false,30,0,0,0,1,10,tiers,sla.groups.web",
            "web,Web,target,web-1,web-1,99.826389,99.95,false,75,0,0,0,2,10,tiers,sla.groups.web",
            "web,Web,target,web-2,web-2,99.884259,99.95,false,50,0,0,0,1,10,tiers,sla.groups.web",
            // a quote in a field is doubled and the field quoted (RFC 4180 §2.7)
            "evil,\"<script>alert(\"\"x\"\")</script>\",group,evil,\"<script>alert(\"\"x\"\")</script>\","
                + "100,99.9,true,0,0,0,1440,0,0,downtime-percentage,sla",
            "evil,\"<script>alert(\"\"x\"\")</script>\",target,api-1,api-1,"
                + "100,99.9,true,0,0,0,1440,0,0,downtime-percentage,sla",
            // "=SUM(1,2)" would run in a spreadsheet: prefixed with ' and quoted for its comma
            ",,target,db-1,\"'=SUM(1,2)\",99.791086,99.9,false,90,0,120,0,1,0.208914,"
                + "downtime-percentage,sla",
            ""),
        lines);
  }

  @Test
  void csvCellGuardsEveryFormulaPrefix() {
    assertEquals("'=1+1", SlaReportCsv.cell("=1+1"));
    assertEquals("'+1", SlaReportCsv.cell("+1"));
    assertEquals("'-1", SlaReportCsv.cell("-1"));
    assertEquals("'@SUM(A1)", SlaReportCsv.cell("@SUM(A1)"));
    assertEquals("'\tx", SlaReportCsv.cell("\tx"));
    assertEquals("\"a\nb\"", SlaReportCsv.cell("a\nb"));
    assertEquals("plain", SlaReportCsv.cell("plain"));
  }

  @Test
  void markdownHasOneTablePerGroupAndEscapesNames() throws Exception {
    String md = body("md");
    assertTrue(
        md.startsWith(
            "# Acme status\n\nService level report for **November 2026**: "
                + "2026-11-01 00:00 UTC to 2026-12-01 00:00 UTC (end exclusive).\n\n## Web\n\n"
                + SlaReportMarkdown.TABLE_HEAD
                + "| **Web (whole group)** | 99.9305 | 99.95 | no | 30 | 0 | 0 | 0 | 1 | 10 |\n"
                + "| web-1 | 99.8263 | 99.95 | no | 75 | 0 | 0 | 0 | 2 | 10 |\n"
                + "| web-2 | 99.8842 | 99.95 | no | 50 | 0 | 0 | 0 | 1 | 10 |\n\n"),
        md);
    assertTrue(md.contains("## \\<script\\>alert(\"x\")\\</script\\>\n"), md);
    assertTrue(
        md.contains(
            "## Other services\n\n"
                + SlaReportMarkdown.TABLE_HEAD
                + "| =SUM(1,2) | 99.7910 | 99.9 | no | 90 | 0 | 120 | 0 | 1 | 0.208914 |\n"),
        md);
    assertTrue(
        md.contains(
            "| 2026-11-20 12:00 UTC | 2026-11-20 12:30 UTC | 30 min | Web (whole group) |\n"),
        md);
    assertTrue(
        md.contains(
            "| 2026-11-05 00:00 UTC | 2026-11-05 02:00 UTC | Database upgrade | targets db-1 |\n"),
        md);
    assertTrue(md.contains("| Web | 99.9305 | 99.95 | tiers (below 99.95 %) | 10 |\n"), md);
    assertTrue(
        md.contains("| =SUM(1,2) | 99.7910 | 99.9 | downtime percentage, max 50 % | 0.208914 |\n"),
        md);
    assertTrue(md.endsWith("Generated at 2026-12-15 00:00 UTC by Quorate.\n"), md);
  }

  @Test
  void htmlIsSelfContainedEscapedAndUnderAStrictCsp() throws Exception {
    HttpResponse<Buffer> r = f.get("sla/report?month=2026-11", "text/html");
    assertEquals("text/html; charset=utf-8", r.getHeader("Content-Type"));
    assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
    String html = r.bodyAsString();
    // kept as a test artifact to look at (like the status page screenshots)
    java.nio.file.Files.writeString(
        java.nio.file.Path.of("target", "sla-report-sample.html"), html);
    String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
    String hash =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(style.getBytes(StandardCharsets.UTF_8)));
    assertEquals(
        "default-src 'none'; style-src 'sha256-"
            + hash
            + "'; img-src 'none'; base-uri 'none';"
            + " form-action 'none'; frame-ancestors 'none'",
        r.getHeader("Content-Security-Policy"));
    String lower = html.toLowerCase(Locale.ROOT);
    assertFalse(lower.contains("<script"), "no script at all");
    assertFalse(lower.contains("http://") || lower.contains("https://"), "no external asset");
    assertEquals(1, lower.split("<style", -1).length - 1, "one inline style");
    assertFalse(lower.contains(" style="), "no style attributes (the CSP would block them)");
    assertTrue(html.contains("<h3>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</h3>"), html);
    assertTrue(html.contains("<title>Acme status — SLA report November 2026</title>"), html);
    assertTrue(html.contains("<h1>Acme status</h1>"), html);
    assertTrue(
        html.contains(
            "<tr class=\"group\"><td>Web (whole group)</td><td class=\"n\">99.9305</td>"
                + "<td class=\"n\">99.95</td><td class=\"no\">no</td><td class=\"n\">30</td>"),
        html);
    assertTrue(
        html.contains(
            "<td>2026-11-20 12:00 UTC</td><td>2026-11-20 12:30 UTC</td>"
                + "<td class=\"n\">30 min</td><td>Web (whole group)</td>"),
        html);
    assertTrue(html.contains("<td>Database upgrade</td><td>targets db-1</td>"), html);
    assertTrue(
        html.contains("<td>downtime percentage, max 50 %</td><td class=\"n\">0.208914</td>"), html);
    assertTrue(
        html.contains("<h2>Method</h2>\n<p>Uptime is computed from the quorum verdict"), html);
    assertTrue(
        html.contains("<footer>Generated at 2026-12-15 00:00 UTC by Quorate.</footer>"), html);
  }
}
