package io.quorate.cli;

import static io.quorate.testsupport.ApiPoll.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.Agent;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.quorate.metrics.Registries;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import io.quorate.store.Database;
import io.quorate.store.VerdictHistory;
import io.quorate.testsupport.Ports;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quorate report sla} against a real single-region agent whose store holds a known outage
 * last month (web-1 down 60 min on the 10th): the report written to a file, to stdout, and every
 * failure with its exit code (bad month, bad format, token file, refused token, unreachable API).
 */
class CliReportTest {
  static final String TOKEN = "report-reader-0123456789abcdef";

  @TempDir static Path dir;
  static Vertx vertx;
  static int port;
  static Path tokenFile;
  static YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);

  @BeforeAll
  static void start() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    fillHistory(data);
    Path shared = dir.resolve("quorate.yaml");
    Files.writeString(
        shared,
        String.join(
            "\n",
            "regions: [solo]",
            "quorum: {heartbeatMs: 200, graceMs: 1000}",
            "groups: [{id: web, name: Web hosting}]",
            "targets:",
            "  - {id: web-1, type: heartbeat, group: web,"
                + " heartbeat: {periodMs: 86400000, token: '${env:HB}'}}",
            "sla: {objective: 99.9}",
            "statusPage: {title: Acme status}",
            ""));
    port = Ports.free();
    Path region = dir.resolve("solo.yaml");
    Files.writeString(
        region,
        "region: solo\nlisten: {host: 127.0.0.1, port: "
            + port
            + "}\ndataDir: "
            + data
            + "\ntokens:\n  - {name: reader, token: '${env:T}', scopes: [read]}\n"
            + "mesh:\n  key: '${env:K}'\n  peers: []\n");
    Map<String, String> env =
        Map.of(
            "T", TOKEN, "K", "mesh-key-solo-0123456789abcdefghij", "HB", "hb-token-0123456789ab");
    LoadedConfig cfg = new ConfigLoader(env::get).load(shared, region);
    var registry = Registries.prometheus();
    vertx = RunCommand.newVertx(registry);
    await(Agent.standard(vertx, cfg, registry).start());
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
  }

  /** web-1 UP from before the month, DOWN on the 10th 02:00–03:00, in the agent's own store. */
  static void fillHistory(Path data) throws Exception {
    Vertx v = Vertx.vertx();
    try {
      Database db = await(Database.open(v, data));
      VerdictHistory h = new VerdictHistory(db, Clock.systemUTC());
      Instant first = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      Instant down = month.atDay(10).atTime(2, 0).toInstant(ZoneOffset.UTC);
      record(h, Status.UNKNOWN, Status.UP, first.minusSeconds(86_400));
      record(h, Status.UP, Status.DOWN, down);
      record(h, Status.DOWN, Status.UP, down.plusSeconds(3_600));
      await(db.close());
    } finally {
      await(v.close());
    }
  }

  static void record(VerdictHistory h, Status from, Status to, Instant at) throws Exception {
    await(
        h.record(
            new VerdictChange(
                new Verdict("web-1", from, null, 0, false, 1, List.of()),
                new Verdict("web-1", to, at, 1, false, 1, List.of()))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static CliTest.Run report(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "report";
    all[1] = "sla";
    System.arraycopy(args, 0, all, 2, args.length);
    return CliTest.run(all);
  }

  String api() {
    return "http://127.0.0.1:" + port;
  }

  @Test
  void writesTheCsvReportToAFile() throws Exception {
    Path out = dir.resolve("sla.csv");
    CliTest.Run r =
        report(
            "--month",
            month.toString(),
            "--api",
            api(),
            "--token-file",
            tokenFile.toString(),
            "--format",
            "csv",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    String csv = Files.readString(out);
    assertTrue(r.err().contains("wrote " + out + " (" + csv.length() + " bytes)"), r.err());
    long minutes = month.lengthOfMonth() * 1_440L;
    String uptime = round6(100.0 * (minutes - 60) / minutes);
    String row = "99.9,false,60,0,0,0,1," + round6(100.0 * 60 / minutes);
    assertEquals(
        List.of(
            "group,groupName,kind,id,name,uptimePercent,objectivePercent,met,downtimeMinutes,"
                + "degradedMinutes,maintenanceMinutes,unknownMinutes,incidentCount,creditPercent,"
                + "creditRule,termsFrom",
            "web,Web hosting,group,web,Web hosting,"
                + uptime
                + ","
                + row
                + ",downtime-percentage,sla",
            "web,Web hosting,target,web-1,web-1,"
                + uptime
                + ","
                + row
                + ",downtime-percentage,sla"),
        csv.lines().toList());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
  }

  @Test
  void printsMarkdownByDefault() {
    CliTest.Run r =
        report("--month", month.toString(), "--api", api(), "--token-file", tokenFile.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("# Acme status\n\nService level report for **"), r.out());
    String incident =
        "| " + month + "-10 02:00 UTC | " + month + "-10 03:00 UTC | 1 h | web-1 (web) |";
    assertTrue(r.out().contains(incident), r.out());
  }

  @Test
  void failuresHaveClearExitCodes() throws Exception {
    String tf = tokenFile.toString();
    CliTest.Run bad = report("--month", "2026-13", "--api", api(), "--token-file", tf);
    assertEquals(2, bad.code());
    assertEquals(
        "quorate report sla: --month must be YYYY-MM (e.g. 2026-11), got '2026-13'\n", bad.err());
    CliTest.Run fmt = report("--format", "pdf", "--api", api(), "--token-file", tf);
    assertEquals(2, fmt.code());
    assertTrue(fmt.err().contains("--format must be md, csv, html or json"), fmt.err());
    CliTest.Run noFile = report("--api", api(), "--token-file", dir.resolve("nope").toString());
    assertEquals(2, noFile.code());
    assertTrue(noFile.err().contains("cannot read token file"), noFile.err());
    Path wrong = dir.resolve("wrong-token");
    Files.writeString(wrong, "not-the-token-0123456789");
    CliTest.Run refused = report("--api", api(), "--token-file", wrong.toString());
    assertEquals(4, refused.code(), refused.err());
    assertTrue(
        refused.err().startsWith("quorate report sla: the API refused the token (401): "),
        refused.err());
    CliTest.Run down = report("--api", "http://127.0.0.1:" + Ports.free(), "--token-file", tf);
    assertEquals(3, down.code(), down.err());
    assertTrue(
        down.err().startsWith("quorate report sla: cannot reach the API at http://127.0.0.1:"),
        down.err());
    CliTest.Run url = report("--api", "ftp://x", "--token-file", tf);
    assertEquals(2, url.code(), url.err());
  }

  /** The rounding the API applies to percentages (6 decimals), as CSV text. */
  static String round6(double d) {
    double r = Math.round(d * 1_000_000) / 1_000_000.0;
    return new java.math.BigDecimal(Double.toString(r)).stripTrailingZeros().toPlainString();
  }
}
