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
public final class ReportCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
