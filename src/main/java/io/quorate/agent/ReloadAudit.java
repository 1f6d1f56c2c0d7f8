package io.quorate.agent;

import io.quorate.config.ConfigDiff;
import io.quorate.config.LoadedConfig;
import io.quorate.store.AuditLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One audit entry per config reload attempt (ADR 0017, amendment 2026-11-22), whether asked by
 * {@code POST /api/v1/config/reload}, SIGHUP or in process: action {@value #ACTION}, no pool, the
 * actor ({@code token:<name>}, {@code signal:HUP}, {@code agent:<region>}), an outcome, the config
 * hash before and after, and what changed. Outcomes: {@code applied}; {@code unchanged} (same
 * shared file and same region config); {@code refused} with the problem type the API answers
 * ({@code config-invalid}, {@code config-needs-restart}, {@code reload-in-progress}, {@code
 * agent-stopping}, {@code reload-unavailable}); {@code failed} when applying broke off ({@code
 * reload-failed}). A refused attempt writes this entry and changes nothing else.
 */
final class ReloadAudit {
  /** The entries' action. */
  static final String ACTION = "config-reload";

  /** At most this many config errors are listed as reasons of a refused reload. */
  static final int MAX_ERRORS = 20;

  /** Writes nothing (no audit log attached yet). */
  static final ReloadAudit NONE = new ReloadAudit(null, Clock.systemUTC());

  private final AuditLog log;
  private final Clock clock;

  ReloadAudit(AuditLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  void applied(String actor, LoadedConfig before, LoadedConfig next, ReloadReport r) {
    boolean same =
        r.previousHash().equals(r.hash())
            && r.diff().isEmpty()
            && Objects.equals(before.region(), next.region());
    Map<String, String> details = hashes(r.previousHash(), r.hash());
    counts(details, "targets", r.diff().targets());
    counts(details, "pools", r.diff().pools());
    String summary =
        "targets " + summary(r.diff().targets()) + ", pools " + summary(r.diff().pools());
    write(actor, same ? "unchanged" : "applied", List.of(summary), details);
  }

  void refused(String actor, LoadedConfig before, Throwable e) {
    String next =
        e instanceof ConfigReloads.Refused r && r.nextHash() != null ? r.nextHash() : null;
    Map<String, String> details = hashes(before.sharedHash(), next);
    String type = ConfigReloads.problemType(e);
    details.put("problemType", type);
    List<String> reasons = new ArrayList<>();
    reasons.add(String.valueOf(e.getMessage()));
    if (e instanceof ConfigReloads.Refused r) {
      r.errors().stream()
          .limit(MAX_ERRORS)
          .forEach(ce -> reasons.add(ce.file() + ": " + ce.path() + ": " + ce.message()));
    }
    write(actor, "reload-failed".equals(type) ? "failed" : "refused", reasons, details);
  }

  private static Map<String, String> hashes(String previous, String next) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("previousConfigHash", previous);
    if (next != null) {
      details.put("configHash", next);
    }
    return details;
  }

  /** {@code +added ~changed -removed}. */
  private static String summary(ConfigDiff.Changes c) {
    return "+" + c.added().size() + " ~" + c.changed().size() + " -" + c.removed().size();
  }

  private static void counts(Map<String, String> details, String what, ConfigDiff.Changes c) {
    details.put(what + "Added", Integer.toString(c.added().size()));
    details.put(what + "Changed", Integer.toString(c.changed().size()));
    details.put(what + "Removed", Integer.toString(c.removed().size()));
  }

  private void write(String actor, String outcome, List<String> reasons, Map<String, String> d) {
    if (log != null) {
      log.add(clock.instant(), null, ACTION, outcome, actor, reasons, d);
    }
  }
}
