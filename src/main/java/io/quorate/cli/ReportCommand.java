package io.quorate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code quorate report}: reports read from a running agent's API ({@code report sla}). */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Fetch a report from a running agent.",
    subcommands = {ReportSlaCommand.class})
public final class ReportCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a report name: the usage on stderr and exit 2 (a usage error). */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("quorate report: name a report (sla)");
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
