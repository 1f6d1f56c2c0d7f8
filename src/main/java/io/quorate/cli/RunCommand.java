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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunCommand.class);

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

  /** Exit status when another agent holds the region's data directory (ADR 0020). */
  public static final int DATA_DIR_LOCKED = 3;

  /** The default graceful stop limit. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(20);

  @Option(
      names = "--stop-timeout",
      defaultValue = "20s",
      converter = StopTimeout.class,
      description =
          "on SIGTERM, how long a graceful stop may take (e.g. 20s, 1500ms, 1m; default 20s)")
  Duration stopTimeout;

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
    Thread hook = null;
    try {
      // picocli fills the option; a programmatic caller may leave it null
      stopTimeout = stopTimeout == null ? DEFAULT_STOP_TIMEOUT : stopTimeout;
      Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(clockOffsetMs));
      // both signals are handled from the first moment: during start-up SIGHUP is ignored (it
      // would otherwise end the JVM) and SIGTERM closes what has started
      java.util.concurrent.atomic.AtomicReference<Agent> started =
          new java.util.concurrent.atomic.AtomicReference<>();
      Reload.onSighup(started::get);
      StopSignals signals = StopSignals.install();
      Duration limit = stopTimeout;
      hook =
          new Thread(
              () -> stopGracefully(started.get(), vertx, limit, signals.received()), "shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      Agent agent =
          Agent.standard(vertx, loaded, registry, clock)
              .reloadFrom(new ConfigFiles(config, region, System::getenv))
              .start()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      started.set(agent);
      spec.commandLine()
          .getOut()
          .printf(
              "quorate agent %s listening on %s:%d%n",
              loaded.region().region(), loaded.region().listen().host(), agent.apiPort());
      spec.commandLine().getOut().flush();
      return io.quorate.cli.QuorateCommand.KEEP_RUNNING;
    } catch (Exception e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      boolean locked = c instanceof io.quorate.store.DataDirLockedException;
      err.println((locked ? "refusing to start: " : "failed to start: ") + c.getMessage());
      err.flush();
      removeHook(hook);
      closeQuietly(vertx);
      return locked ? DATA_DIR_LOCKED : 1;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      if (hook != null) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already stopping: the hook runs and closes what has started
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

  /**
   * The SIGTERM (and SIGINT) path (ADR 0016): the agent's graceful stop within {@code limit} (one
   * log line per phase, the first naming {@code signal}), then Vert.x is closed and the JVM halts
   * with status 0 (a JVM ended by a signal would otherwise exit 143, which service managers report
   * as a failure).
   */
  static void stopGracefully(Agent agent, Vertx vertx, Duration limit, String signal) {
    LOG.info("quorate stop signal={} limitMs={}", signal, limit.toMillis());
    if (agent == null) {
      LOG.info("quorate stop during start-up: closing what has started");
      closeQuietly(vertx);
      return;
    }
    try {
      agent
          .stop(limit)
          .toCompletionStage()
          .toCompletableFuture()
          .get(limit.toMillis() + CLOSE_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("quorate stop-incomplete error=\"{}\"", e.toString());
    }
    closeQuietly(vertx);
    LOG.info("quorate stopped exit=0");
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(0);
  }

  /** How long closing Vert.x may take after the agent stopped. */
  static final long CLOSE_MS = 5_000;

  /** Parses {@code 20s}, {@code 1500ms}, {@code 1m} or plain seconds; 1 ms to 10 minutes. */
  static final class StopTimeout implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m)?").matcher(value.trim());
      if (!m.matches()) {
        throw new picocli.CommandLine.TypeConversionException(
            "expected a duration such as 20s, 1500ms or 1m, got '" + value + "'");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      Duration d =
          switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
          };
      if (d.isZero() || d.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new picocli.CommandLine.TypeConversionException(
            "--stop-timeout must be between 1ms and 10m, got '" + value + "'");
      }
      return d;
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // shutting down anyway
    }
  }
}
