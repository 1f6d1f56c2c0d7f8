package io.quorate.cli;

import io.quorate.demo.Demo;
import io.quorate.demo.DemoConfig;
import io.quorate.demo.DemoOptions;
import io.quorate.demo.DemoStory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quorate demo}: the whole failover loop on one machine with nothing else installed — three
 * region agents, a sample fleet, and the embedded DNS server — with a guided tour, or a scripted
 * story that checks itself ({@code --scripted}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Run three region agents, a sample fleet and the embedded DNS server in one process, on"
          + " loopback only, and print a guided tour.",
      "With --scripted: break things in a fixed order, check every region's DNS answer, print the"
          + " timeline, and exit 0 if everything happened as expected."
    })
public final class DemoCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--scripted", description = "run the scripted story, then exit")
  boolean scripted;

  @Option(
      names = "--api-port",
      defaultValue = "8080",
      description = "first region's API and status page (others: the next ports; default 8080)")
  int apiPort;

  @Option(
      names = "--dns-port",
      defaultValue = "5353",
      description =
          "first region's embedded DNS, UDP and TCP (others: the next ports; default 5353)")
  int dnsPort;

  @Option(names = "--web-port", defaultValue = "8480", description = "sample web servers' port")
  int webPort;

  @Option(names = "--smtp-port", defaultValue = "2525", description = "sample mail servers' SMTP")
  int smtpPort;

  @Option(names = "--imap-port", defaultValue = "1143", description = "sample mail servers' IMAP")
  int imapPort;

  @Option(names = "--pop3-port", defaultValue = "1110", description = "sample mail servers' POP3")
  int pop3Port;

  @Option(
      names = "--dns-pair-port",
      defaultValue = "5300",
      description = "the sample DNS server pair's port (default 5300)")
  int dnsPairPort;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    DemoOptions options;
    try {
      options =
          new DemoOptions(apiPort, dnsPort, webPort, smtpPort, imapPort, pop3Port, dnsPairPort);
    } catch (IllegalArgumentException e) {
      java.io.PrintWriter err = spec.commandLine().getErr();
      err.println("invalid option: " + e.getMessage() + " (ports are 1.." + (65_535 - 3) + ")");
      err.flush();
      return CheckConfigCommand.INVALID;
    }
    Path dir =
        Files.createTempDirectory(
            "quorate-demo-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Demo demo;
    try {
      demo =
          Demo.start(options, dir)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      java.io.PrintWriter err = spec.commandLine().getErr();
      err.println("demo failed to start: " + e.getCause().getMessage());
      err.println("(are the ports free? see --help for the port options)");
      err.flush();
      return 1;
    }
    if (!scripted) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> close(demo), "demo-shutdown"));
      tour(out, demo);
      return QuorateCommand.KEEP_RUNNING;
    }
    try {
      out.println("Quorate demo, scripted: three regions, quorum 2, config in " + dir);
      List<String> failed = new DemoStory(demo, out).run();
      return failed.isEmpty() ? 0 : 1;
    } finally {
      close(demo);
    }
  }

  private static void close(Demo demo) {
    try {
      demo.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // exiting anyway
    }
  }

  /**
   * The tour's first lines: the three public status pages (one per region; {@code statusPage:
   * public: true} in the demo's config) and the JSON behind them.
   */
  static String statusPages(DemoOptions o) {
    String nl = System.lineSeparator();
    return String.join(
        nl,
        "",
        "Quorate demo is running: regions eu-west, us-east, ap-southeast (quorum 2 of 3), on"
            + " loopback.",
        "",
        "Status pages (public, no token needed):",
        "  http://127.0.0.1:" + o.apiPort(0) + "/   (eu-west)",
        "  http://127.0.0.1:" + o.apiPort(1) + "/   (us-east)",
        "  http://127.0.0.1:" + o.apiPort(2) + "/   (ap-southeast)",
        "  curl -s http://127.0.0.1:" + o.apiPort(0) + "/status.json   (what the page shows)",
        "",
        "");
  }

  static void tour(PrintStream out, Demo demo) {
    DemoOptions o = demo.options();
    String api = "http://127.0.0.1:" + o.apiPort();
    String auth = "-H 'Authorization: Bearer " + DemoConfig.READ_TOKEN + "'";
    String op = "-H 'Authorization: Bearer " + DemoConfig.OPERATE_TOKEN + "'";
    out.print(statusPages(o));
    out.printf(
        String.join(
            "%n",
            "  APIs:  %s (eu-west), http://127.0.0.1:%d (us-east), http://127.0.0.1:%d (ap-southeast)",
            "  DNS:   demo.test served by every agent on 127.0.0.1:%d, :%d, :%d (UDP and TCP)",
            "  Fleet: web-1..3 on 127.0.0.21-23:%d behind www.demo.test; mail-1 (primary) and mail-2",
            "         (backup) on 127.0.0.31-32 behind the mail.demo.test MX; dns-1, dns-2 for corp.demo.test",
            "  Config and secrets: %s",
            "",
            "Look:",
            "  curl -s %s '%s/api/v1/sla?group=web&month=%s'   (SLA report, this month)",
            "  curl -s %s %s/api/v1/slo                 (error budgets)",
            "  curl -s %s %s/api/v1/maintenance         (the announced window)",
            "  dig @127.0.0.1 -p %d www.demo.test",
            "  dig @127.0.0.1 -p %d mail.demo.test MX",
            "  curl -s %s %s/api/v1/verdicts",
            "  curl -s %s %s/api/v1/pools/www",
            "  curl -sN %s %s/api/v1/events        (live events)",
            "  curl -s %s/metrics | grep quorate_dns_",
            "  dig @127.0.0.1 -p %d demo.test AXFR -y hmac-sha256:demo-xfr:%s",
            "",
            "Break things (then dig again; a dead server leaves DNS in about 2-4 s):",
            "  curl -s -X POST %s %s/api/v1/demo/members/web-2/stop     (and .../start)",
            "  curl -s -X POST %s %s/api/v1/demo/members/mail-1/stop    (the MX moves to mail-2)",
            "  curl -s -X POST %s %s/api/v1/demo/regions/ap-southeast/isolate   (and .../heal):",
            "      one region alone fails nothing over",
            "  curl -s %s %s/api/v1/demo      (what is stopped or isolated)",
            "",
            "Stop the demo with Ctrl-C.",
            ""),
        api,
        o.apiPort(1),
        o.apiPort(2),
        o.dnsPort(0),
        o.dnsPort(1),
        o.dnsPort(2),
        o.webPort(),
        demo.config().dir(),
        auth,
        api,
        java.time.YearMonth.now(java.time.ZoneOffset.UTC),
        auth,
        api,
        auth,
        api,
        o.dnsPort(),
        o.dnsPort(),
        auth,
        api,
        auth,
        api,
        auth,
        api,
        api,
        o.dnsPort(),
        demo.config().transferKey(),
        op,
        api,
        op,
        api,
        op,
        api,
        auth,
        api);
    out.flush();
  }
}
