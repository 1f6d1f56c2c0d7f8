package io.quorate;

import io.quorate.cli.QuorateCommand;

/** Entry point: parse the command line and run the chosen command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = QuorateCommand.commandLine().execute(args);
    if (code != QuorateCommand.KEEP_RUNNING) {
      System.exit(code);
    }
  }
}
