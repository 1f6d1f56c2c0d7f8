package io.quorate.cli;

import io.quorate.config.ConfigError;
import io.quorate.config.ConfigException;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quorate check-config}: exit 0 when valid, else exit 2 with every error and its path. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Validate the shared config (and a region file); print every error with its"
            + " YAML path. Exit 0 when valid, 2 when not.")
public final class CheckConfigCommand implements Callable<Integer> {
  static final int INVALID = 2;

  @Spec CommandSpec spec;

  /** Where {@code ${env:NAME}} secrets come from (tests give the example environment). */
  java.util.function.Function<String, String> env = System::getenv;

  @Option(
      names = "--config",
      required = true,
      description = "shared config, e.g. conf/quorate.yaml")
  Path config;

  @Option(names = "--region", description = "a region file, e.g. regions/eu-west.yaml")
  Path region;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      LoadedConfig c = new ConfigLoader(env).load(config, region);
      out.printf(
          "%s: ok (%d targets, %d groups, regions %s, sha256 %s)%n",
          config,
          c.shared().targets().size(),
          c.shared().groups().size(),
          c.shared().regions(),
          c.sharedHash().substring(0, 12));
      if (c.region() != null) {
        out.printf(
            "%s: ok (region %s, listen %s:%d, %d tokens)%n",
            region,
            c.region().region(),
            c.region().listen().host(),
            c.region().listen().port(),
            c.region().tokens().size());
      }
      out.flush();
      return 0;
    } catch (ConfigException e) {
      for (ConfigError ce : e.errors()) {
        err.println(ce.file() + ": " + ce);
      }
      err.printf("%d error%s%n", e.errors().size(), e.errors().size() == 1 ? "" : "s");
      err.flush();
      return INVALID;
    }
  }
}
