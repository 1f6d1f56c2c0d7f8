package io.quorate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The fields a live reload cannot apply (ADR 0017): each one that differs between the running and
 * the new configuration is an error at its YAML path, so the reload is refused whole and the
 * operator learns which change needs a restart. Everything else (targets, pools, defaults, groups,
 * {@code quorum.referenceTargets}, the status page, API tokens, and since 2026-11-23 {@code
 * alerts}, {@code slos}, {@code sla} and {@code maintenance}) is applied at run time.
 */
public final class ReloadGuard {
  /** The message of every refused field. */
  public static final String NEEDS_RESTART = "cannot change at run time; restart the agent";

  private ReloadGuard() {}

  /**
   * Every run-time-fixed field that differs, located in {@code sharedFile} or {@code regionFile}
   * (the names shown in the errors).
   */
  public static List<ConfigError> check(
      LoadedConfig running, LoadedConfig next, String sharedFile, String regionFile) {
    List<ConfigError> out = new ArrayList<>();
    QuorateConfig a = running.shared();
    QuorateConfig b = next.shared();
    same(out, sharedFile, "regions", a, b, QuorateConfig::regions);
    QuorateConfig.Quorum qa = a.quorum();
    QuorateConfig.Quorum qb = b.quorum();
    same(out, sharedFile, "quorum.size", qa, qb, QuorateConfig.Quorum::size);
    same(out, sharedFile, "quorum.graceMs", qa, qb, QuorateConfig.Quorum::graceMs);
    same(out, sharedFile, "quorum.maxSkewMs", qa, qb, QuorateConfig.Quorum::maxSkewMs);
    same(out, sharedFile, "quorum.heartbeatMs", qa, qb, QuorateConfig.Quorum::heartbeatMs);
    same(out, sharedFile, "quorum.standbyMs", qa, qb, QuorateConfig.Quorum::standbyMs);
    same(out, sharedFile, "zones", a, b, QuorateConfig::zones);
    RegionConfig ra = running.region();
    RegionConfig rb = next.region();
    if (ra != null && rb != null) {
      same(out, regionFile, "region", ra, rb, RegionConfig::region);
      same(out, regionFile, "listen", ra, rb, RegionConfig::listen);
      same(out, regionFile, "dataDir", ra, rb, RegionConfig::dataDir);
      same(out, regionFile, "scheduler", ra, rb, RegionConfig::scheduler);
      same(out, regionFile, "mesh", ra, rb, RegionConfig::mesh);
      same(out, regionFile, "authoritative", ra, rb, RegionConfig::authoritative);
      same(out, regionFile, "store", ra, rb, RegionConfig::store);
    }
    return out;
  }

  private static <C> void same(
      List<ConfigError> out, String file, String path, C a, C b, Function<C, Object> field) {
    if (!Objects.equals(field.apply(a), field.apply(b))) {
      out.add(new ConfigError(file, path, NEEDS_RESTART));
    }
  }
}
