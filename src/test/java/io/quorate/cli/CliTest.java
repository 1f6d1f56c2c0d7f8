package io.quorate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.Bind9Lab;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user runs it: exit codes and output (probes against a real BIND). */
class CliTest {
  static Bind9Lab bind;
  static Bind9Lab bindAhead;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void startBind() {
    bind = Bind9Lab.start("example.test", Bind9Lab.exampleZone(5, ""));
    bindAhead = Bind9Lab.start("example.test", Bind9Lab.exampleZone(6, ""));
  }

  @AfterAll
  static void stopBind() {
    bind.close();
    bindAhead.close();
  }

  static Run run(String... args) {
    return run(QuorateCommand.commandLine(), args);
  }

  static Run run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String cmd :
        new String[] {"run", "demo", "check-config", "probe", "report", "report sla"}) {
      String[] words = cmd.split(" ");
      Run help = run(append(words, "--help"));
      assertEquals(0, help.code(), cmd);
      assertTrue(help.out().contains("Usage: quorate " + cmd), help.out());
      Run version = run(append(words, "--version"));
      assertEquals(0, version.code(), cmd);
      assertTrue(version.out().startsWith("quorate "), version.out());
    }
    assertTrue(run("--help").out().contains("check-config"));
    Run bare = run("report");
    assertEquals(2, bare.code(), "report without a report name is a usage error");
    assertTrue(bare.err().contains("name a report (sla)"), bare.err());
  }

  static String[] append(String[] words, String last) {
    String[] all = java.util.Arrays.copyOf(words, words.length + 1);
    all[words.length] = last;
    return all;
  }

  @Test
  void demoRefusesAPortOutOfRangeBeforeStartingAnything() {
    Run r = run("demo", "--api-port", "65534");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("invalid option: port 65534 is out of range"), r.err());
    Run zero = run("demo", "--dns-port", "0");
    assertEquals(2, zero.code(), zero.err());
  }

  @Test
  void checkConfigAcceptsTheShippedExamples() {
    // secrets come from the environment in the examples: give check-config conf/example.env
    CommandLine cl = QuorateCommand.commandLine();
    CheckConfigCommand check = cl.getSubcommands().get("check-config").getCommand();
    check.env = io.quorate.testsupport.ExampleEnv.with(java.util.Map.of())::get;
    Run r = run(cl, "check-config", "--config", "conf/quorate.yaml");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("conf/quorate.yaml: ok ("), r.out());
  }

  @Test
  void checkConfigPrintsEveryErrorWithItsPathAndExits2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        String.join(
            "\n",
            "regions: [eu-west]",
            "targets:",
            "  - id: a",
            "    type: dns",
            "    address: 127.0.0.1",
            "    timeoutMs: 0",
            "    dns: {name: example.test, qtype: AAAAA}",
            "  - id: b",
            "    type: http",
            "    address: 127.0.0.1",
            "    colour: blue",
            ""));
    Run r = run("check-config", "--config", bad.toString());
    assertEquals(2, r.code());
    assertEquals(
        String.join(
            "\n",
            bad + ": targets[0].timeoutMs: must be > 0",
            bad + ": targets[0].dns.qtype: unknown DNS type \"AAAAA\"",
            bad + ": targets[1].colour: unknown key",
            "3 errors",
            ""),
        r.err());
  }

  @Test
  void runRefusesAnInvalidConfigWithExit2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "regions: []\n");
    Run r = run("run", "--config", bad.toString(), "--region", "regions/eu-west.yaml");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("refusing to start"), r.err());
  }

  @Test
  void probeUpExits0() {
    Run r =
        run(
            "probe",
            "dns",
            "127.0.0.1",
            "--port",
            String.valueOf(bind.port()),
            "--name",
            "www.example.test",
            "--qtype",
            "A",
            "--authoritative");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("UP dns 127.0.0.1:" + bind.port() + " in "), r.out());
  }

  @Test
  void probeDownExits1WithJson() {
    Run r =
        run(
            "probe",
            "dns",
            "127.0.0.1",
            "--port",
            String.valueOf(bind.port()),
            "--name",
            "nope.example.test",
            "--json");
    assertEquals(1, r.code(), r.out() + r.err());
    JsonObject j = new JsonObject(r.out());
    assertEquals("DOWN", j.getString("outcome"));
    assertEquals("dns-rcode", j.getString("errorKind"));
  }

  @Test
  void probeDegradedExits3() {
    // SOA serials 5 and 6 on the two servers of one zone: inconsistent, so DEGRADED
    Run r =
        run(
            "probe",
            "dns",
            "127.0.0.1",
            "--port",
            String.valueOf(bind.port()),
            "--zone",
            "example.test",
            "--servers",
            "127.0.0.1:" + bind.port() + ",127.0.0.1:" + bindAhead.port());
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("DEGRADED"), r.out());
    assertTrue(r.out().contains("[inconsistent]"), r.out());
  }

  @Test
  void probeWithBadOptionsIsAUsageErrorNamingTheOption() {
    Run r = run("probe", "dns", "127.0.0.1", "--qtype", "AAAAX");
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("invalid probe options: dns.qtype: unknown DNS type \"AAAAX\""), r.err());
  }
}
