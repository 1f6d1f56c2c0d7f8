package io.quorate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code quorate}: the top-level command. */
@Command(
    name = "quorate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Multi-region DNS, CDN and mail health gateway.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      CheckConfigCommand.class,
      ProbeCommand.class,
      ReportCommand.class
    })
public final class QuorateCommand implements Runnable {
  /** Returned by {@code run} when the agent is up: the JVM keeps running until stopped. */
  public static final int KEEP_RUNNING = -1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new QuorateCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }
}
