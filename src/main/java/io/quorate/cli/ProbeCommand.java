package io.quorate.cli;

import io.quorate.api.JsonViews;
import io.quorate.config.Target;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeContext;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Probes;
import io.quorate.quorum.Observation;
import io.quorate.schedule.ProbeScheduler;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quorate probe <type> <address>}: one probe now; exit 0 UP, 1 DOWN, 3 DEGRADED. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Probe one target now and print the result. Exit 0 UP, 1 DOWN, 3 DEGRADED,"
            + " 2 usage error.",
    footer = {
      "",
      "Examples:",
      "  quorate probe dns 127.0.0.1 --port 5353 --name www.example.test --qtype A",
      "  quorate probe http 192.0.2.10 --https --host www.example.test --path /health",
      "  quorate probe smtp 127.0.0.1 --port 2525 --tls-mode starttls --insecure --json",
      "  quorate probe mailflow 192.0.2.25 --port 587 --user probe@example.test"
          + " --password-file /etc/quorate/probe.pw --from probe@example.test"
          + " --to probe@example.test --mailbox INBOX"
    })
public final class ProbeCommand implements Callable<Integer> {
  public static final int EXIT_UP = 0;
  public static final int EXIT_DOWN = 1;
  public static final int EXIT_DEGRADED = 3;

  @Spec CommandSpec spec;

  @Mixin ProbeOptions options;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Override
  public Integer call() {
    Target target;
    try {
      target = options.toTarget();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Vertx vertx = Vertx.vertx();
    try {
      ProbeResult r = run(vertx, target);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(JsonViews.observation(new Observation("cli", 0, r)).encodePrettily());
      } else {
        out.println(
            JsonViews.summary(r)
                .replaceFirst(
                    " cli ",
                    " "
                        + target.type().wireName()
                        + " "
                        + target.address()
                        + ":"
                        + target.port()
                        + " "));
        if (r.tls() != null) {
          out.printf(
              "  tls: %s %s, certificate %s expires %s (%d days)%n",
              r.tls().protocol(),
              r.tls().cipherSuite(),
              r.tls().subject(),
              JsonViews.time(r.tls().notAfter()),
              r.tls().daysLeft());
        }
        r.facts().forEach((k, v) -> out.printf("  %s: %s%n", k, v));
      }
      out.flush();
      return r.outcome() == Outcome.UP
          ? EXIT_UP
          : r.outcome() == Outcome.DEGRADED ? EXIT_DEGRADED : EXIT_DOWN;
    } finally {
      vertx.close();
    }
  }

  static ProbeResult run(Vertx vertx, Target target) {
    var registry = Probes.standard(ProbeContext.of(vertx));
    var probe = registry.forType(target.type()).orElseThrow();
    try {
      // probes run on an event loop, as under the scheduler
      io.vertx.core.Promise<ProbeResult> result = io.vertx.core.Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> probe.run(target).onComplete(result));
      return result
          .future()
          .map(r -> ProbeScheduler.applyLatencyThreshold(target, r))
          .toCompletionStage()
          .toCompletableFuture()
          .get(target.timeoutMs() + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("probe did not complete: " + e, e);
    }
  }
}
