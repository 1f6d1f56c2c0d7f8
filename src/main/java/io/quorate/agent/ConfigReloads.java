package io.quorate.agent;

import io.quorate.config.ConfigDiff;
import io.quorate.config.ConfigError;
import io.quorate.config.ConfigException;
import io.quorate.config.LoadedConfig;
import io.quorate.config.ReloadGuard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live config reloads of one agent (ADR 0017): one at a time (a second one while one runs fails
 * with {@link Busy}), validated whole before anything changes (every loader error, and every
 * run-time-fixed field that differs, fails it with {@link Refused}), then applied; remembers the
 * running config, when it was loaded and the last outcome for {@code GET /api/v1/config}.
 */
public final class ConfigReloads {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloads.class);

  /** Another reload is running. */
  public static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy() {
      super("another reload is in progress", null, false, false);
    }
  }

  /** The agent is stopping (ADR 0016): nothing is applied any more. */
  public static final class Stopping extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Stopping() {
      super("the agent is stopping", null, false, false);
    }
  }

  /** The agent was started without config files (embedded in a test or a demo). */
  public static final class NoFiles extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoFiles() {
      super("this agent was started without config files to read again", null, false, false);
    }
  }

  /** The new configuration was refused; nothing changed. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigError> errors;
    private final boolean needsRestart;
    private final String nextHash;

    Refused(List<ConfigError> errors, boolean needsRestart, String nextHash) {
      super(
          needsRestart
              ? "the new configuration changes fields that need a restart"
              : "the new configuration is invalid",
          null,
          false,
          false);
      this.errors = List.copyOf(errors);
      this.needsRestart = needsRestart;
      this.nextHash = nextHash;
    }

    /** The refused shared config's hash, or {@code null} when it could not be loaded. */
    public String nextHash() {
      return nextHash;
    }

    /** Every error, each with its file and YAML path. */
    public List<ConfigError> errors() {
      return errors;
    }

    /** True when valid but changing run-time-fixed fields; false when invalid. */
    public boolean needsRestart() {
      return needsRestart;
    }
  }

  private final Clock clock;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile LoadedConfig current;
  private volatile Instant loadedAt;
  private volatile JsonObject last;
  private volatile ReloadAudit audit = ReloadAudit.NONE;

  public ConfigReloads(LoadedConfig initial, Clock clock) {
    this.current = initial;
    this.clock = clock;
    this.loadedAt = clock.instant();
  }

  /** Writes one entry per reload attempt into {@code log} from now on. */
  public void auditTo(io.quorate.store.AuditLog log) {
    this.audit = new ReloadAudit(log, clock);
  }

  /** The running configuration. */
  public LoadedConfig current() {
    return current;
  }

  /** A reload refused before it starts (e.g. {@link Stopping}): audited, nothing else. */
  public Future<ReloadReport> refuse(String actor, RuntimeException why) {
    audit.refused(actor, current, why);
    return Future.failedFuture(why);
  }

  /**
   * Loads the next config, checks it against the running one, and applies it; audits the attempt.
   *
   * @param actor who asked: {@code token:<name>}, {@code signal:HUP}, {@code agent:<region>}
   * @param load reads the next config; fails with {@link ConfigException} when it is invalid
   * @param files the shared and region file names shown in refusals
   * @param apply applies a checked config and its diff to the components
   */
  public Future<ReloadReport> run(
      String actor,
      Supplier<Future<LoadedConfig>> load,
      String[] files,
      BiFunction<LoadedConfig, ConfigDiff, Future<Void>> apply) {
    if (!busy.compareAndSet(false, true)) {
      return refuse(actor, new Busy());
    }
    LoadedConfig before = current;
    ReloadAudit a = audit;
    return Future.<LoadedConfig>succeededFuture()
        .compose(v -> load.get())
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof ConfigException c ? new Refused(c.errors(), false, null) : e))
        .compose(next -> check(before, next, files))
        .compose(
            next -> {
              ConfigDiff diff = ConfigDiff.of(before.shared(), next.shared());
              return apply
                  .apply(next, diff)
                  .map(
                      v ->
                          new ReloadReport(
                              clock.instant(), before.sharedHash(), next.sharedHash(), diff))
                  .onSuccess(r -> applied(next, r))
                  .onSuccess(r -> a.applied(actor, before, next, r));
            })
        .onFailure(this::failed)
        .onFailure(e -> a.refused(actor, before, e))
        .eventually(() -> Future.succeededFuture(busy.getAndSet(false)));
  }

  private static Future<LoadedConfig> check(
      LoadedConfig before, LoadedConfig next, String[] files) {
    List<ConfigError> fixed = ReloadGuard.check(before, next, files[0], files[1]);
    return fixed.isEmpty()
        ? Future.succeededFuture(next)
        : Future.failedFuture(new Refused(fixed, true, next.sharedHash()));
  }

  private void applied(LoadedConfig next, ReloadReport r) {
    current = next;
    loadedAt = r.at();
    last = new JsonObject().put("outcome", "applied").put("report", r.toJson());
    LOG.info(
        "config reloaded configHash={} targetsAdded={} targetsChanged={} targetsRemoved={}"
            + " poolsAdded={} poolsChanged={} poolsRemoved={}",
        r.hash().substring(0, 12),
        r.diff().targets().added().size(),
        r.diff().targets().changed().size(),
        r.diff().targets().removed().size(),
        r.diff().pools().added().size(),
        r.diff().pools().changed().size(),
        r.diff().pools().removed().size());
  }

  private void failed(Throwable e) {
    if (e instanceof Busy) {
      return; // the running reload records its own outcome
    }
    JsonObject j = new JsonObject().put("at", clock.instant().toString());
    if (e instanceof Refused r) {
      j.put("outcome", r.needsRestart() ? "needs-restart" : "invalid")
          .put("errors", errors(r.errors()));
      LOG.warn(
          "config reload-refused reason={} errors={}", j.getString("outcome"), r.errors().size());
    } else {
      j.put("outcome", "failed").put("detail", String.valueOf(e.getMessage()));
      LOG.error("config reload-failed error=\"{}\"", e.getMessage(), e);
    }
    last = j;
  }

  /** The problem type ({@code https://quorate.io/problems/<type>}) a failed reload answers. */
  public static String problemType(Throwable e) {
    if (e instanceof ConfigReloads.Refused r) {
      return r.needsRestart() ? "config-needs-restart" : "config-invalid";
    }
    if (e instanceof ConfigReloads.Busy) {
      return "reload-in-progress";
    }
    if (e instanceof ConfigReloads.Stopping) {
      return "agent-stopping";
    }
    if (e instanceof ConfigReloads.NoFiles) {
      return "reload-unavailable";
    }
    return "reload-failed";
  }

  /** The errors as the API shows them: {@code [{file, path, message}]}. */
  public static JsonArray errors(List<ConfigError> errors) {
    JsonArray a = new JsonArray();
    errors.forEach(
        e ->
            a.add(
                new JsonObject()
                    .put("file", e.file())
                    .put("path", e.path())
                    .put("message", e.message())));
    return a;
  }

  /** {@code GET /api/v1/config}: the running hash, when it was loaded, the last reload outcome. */
  public JsonObject view() {
    LoadedConfig c = current;
    return new JsonObject()
        .put("configHash", c.sharedHash())
        .put("loadedAt", loadedAt.toString())
        .put("targets", c.shared().targets().size())
        .put("pools", c.shared().pools().size())
        .put("lastReload", last);
  }
}
