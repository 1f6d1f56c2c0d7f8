package io.quorate.cli;

import io.quorate.Agent;
import io.quorate.agent.ConfigReloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP in {@code quorate run}: re-read the files and apply them live, exactly like {@code POST
 * /api/v1/config/reload} (ADR 0017); the outcome is logged (every refused error on its own line).
 */
final class Reload {
  private static final Logger LOG = LoggerFactory.getLogger(Reload.class);

  private Reload() {}

  /**
   * Installs the SIGHUP handler (sun.misc.Signal, module jdk.unsupported); {@code agent} is null
   * while the agent starts, and a SIGHUP then is logged and ignored.
   */
  @SuppressWarnings("restriction")
  static void onSighup(java.util.function.Supplier<Agent> agent) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          sig -> {
            Agent a = agent.get();
            if (a == null) {
              LOG.warn("config sighup-ignored reason=starting");
            } else {
              reload(a);
            }
          });
    } catch (IllegalArgumentException e) {
      LOG.warn("config sighup-unavailable reason=\"{}\"", e.getMessage());
    }
  }

  /** The audit log's actor of a SIGHUP reload. */
  static final String ACTOR = "signal:HUP";

  private static void reload(Agent agent) {
    LOG.info("config reload-requested by=SIGHUP");
    agent
        .reload(ACTOR)
        .onSuccess(r -> LOG.info("config sighup-reload outcome=applied configHash={}", r.hash()))
        .onFailure(
            e -> {
              if (e instanceof ConfigReloads.Refused r) {
                r.errors().forEach(ce -> LOG.warn("config refused {}: {}", ce.file(), ce));
              }
              LOG.warn("config sighup-reload outcome=refused reason=\"{}\"", e.getMessage());
            });
  }
}
