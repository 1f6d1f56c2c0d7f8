package io.quorate.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quorate.Agent;
import io.quorate.config.ConfigException;
import io.quorate.config.ConfigFiles;
import io.quorate.config.ConfigLoader;
import io.quorate.config.LoadedConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quorate run}: start one region's agent and keep running until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Start one region's agent: probes, local state, REST API, /metrics.")
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      description = "shared config, e.g. conf/quorate.yaml")
  Path config;

  @Option(
      names = "--region",
      required = true,
      description = "region file, e.g. regions/eu-west.yaml")
  Path region;

  @Option(
      names = "--clock-offset-ms",
      hidden = true,
      defaultValue = "0",
      description = "TEST ONLY: run with this offset added to the wall clock (fault tests)")
  long clockOffsetMs;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    LoadedConfig loaded;
    try {
      loaded = new ConfigLoader(System::getenv).load(config, region);
    } catch (ConfigException e) {
      e.errors().forEach(ce -> err.println(ce.file() + ": " + ce));
      err.println("refusing to start: the configuration is invalid");
      err.flush();
      return CheckConfigCommand.INVALID;
    }
    PrometheusMeterRegistry registry = io.quorate.metrics.Registries.prometheus();
    Vertx vertx = newVertx(registry);
    try {
      Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(clockOffsetMs));
      Agent agent =
          Agent.standard(vertx, loaded, registry, clock)
              .start()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      agent.reloadFrom(new ConfigFiles(config, region, System::getenv));
      Reload.onSighup(agent);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx), "shutdown"));
      spec.commandLine()
          .getOut()
          .printf(
              "quorate agent %s listening on %s:%d%n",
              loaded.region().region(), loaded.region().listen().host(), agent.apiPort());
      spec.commandLine().getOut().flush();
      return io.quorate.cli.QuorateCommand.KEEP_RUNNING;
    } catch (Exception e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      err.println("failed to start: " + c.getMessage());
      err.flush();
      closeQuietly(vertx);
      return 1;
    }
  }

  /** A Vert.x instance sized for a small VM, with Micrometer metrics into {@code registry}. */
  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    VertxOptions opts =
        new VertxOptions()
            .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerPoolSize(4)
            .setMetricsOptions(metrics);
    return Vertx.builder().with(opts).withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // shutting down anyway
    }
  }
}
