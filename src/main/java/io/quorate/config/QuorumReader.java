package io.quorate.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the shared file's {@code quorum:} block and group quorum overrides. */
final class QuorumReader {
  static final Set<String> KEYS =
      Set.of("size", "graceMs", "maxSkewMs", "heartbeatMs", "standbyMs", "referenceTargets");

  private QuorumReader() {}

  /**
   * The quorum block; defaults for the region count when absent; {@code null} on errors.
   *
   * @param regionCount number of configured regions, or {@code null} when the list is invalid
   */
  static QuorateConfig.Quorum read(YamlNode node, Integer regionCount) {
    int mark = node.errors().count();
    node.mapping(KEYS);
    int n = regionCount == null ? 1 : regionCount;
    QuorateConfig.Quorum d = QuorateConfig.Quorum.defaults(n);
    Integer size = size(node.get("size"), regionCount, d.size());
    Long grace = node.get("graceMs").integer(0, 600_000, d.graceMs());
    Long skew = node.get("maxSkewMs").integer(1_000, 3_600_000, d.maxSkewMs());
    Long heartbeat = node.get("heartbeatMs").integer(200, 60_000, d.heartbeatMs());
    Long standby = node.get("standbyMs").integer(0, 600_000, d.standbyMs());
    List<String> refs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (YamlNode item : node.get("referenceTargets").itemsOrEmpty()) {
      String id = item.string();
      if (id != null && !seen.add(id)) {
        item.error("duplicate reference target \"" + id + "\"");
      } else if (id != null) {
        refs.add(id);
      }
    }
    if (node.errors().since(mark) || size == null) {
      return null;
    }
    return new QuorateConfig.Quorum(size, grace, skew, heartbeat, standby, refs);
  }

  /**
   * A quorum size: a strict majority of the regions at least (so two disjoint sides of a partition
   * can never both have one) and at most every region.
   */
  static Integer size(YamlNode node, Integer regionCount, Integer fallback) {
    Long v = node.integer(1, 1_000, fallback == null ? null : fallback.longValue());
    if (v == null || regionCount == null || !node.present()) {
      return v == null ? null : v.intValue();
    }
    int min = QuorateConfig.majority(regionCount);
    if (v < min || v > regionCount) {
      node.error(
          "impossible quorum "
              + v
              + " for "
              + regionCount
              + " regions: must be between "
              + min
              + " (a strict majority) and "
              + regionCount);
      return null;
    }
    return v.intValue();
  }

  /** Every reference target must be a configured target. */
  static void checkReferences(YamlNode node, Set<String> targetIds) {
    for (YamlNode item : node.itemsOrEmpty()) {
      String id = item.peekString();
      if (id != null && !targetIds.contains(id)) {
        item.error("unknown target \"" + id + "\"");
      }
    }
  }
}
