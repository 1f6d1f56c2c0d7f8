package io.quorate.config;

import java.util.List;
import java.util.Optional;

/**
 * The shared configuration ({@code conf/quorate.yaml}): identical in every region.
 *
 * @param regions the configured region ids, in rank order (the first is the preferred writer)
 * @param defaults defaults applied to every target that does not set its own
 * @param groups target groups
 * @param targets every probed target
 */
public record QuorateConfig(
    List<String> regions, Defaults defaults, List<Group> groups, List<Target> targets) {

  public QuorateConfig {
    regions = List.copyOf(regions);
    groups = List.copyOf(groups);
    targets = List.copyOf(targets);
  }

  public Optional<Target> target(String id) {
    return targets.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  /**
   * Target defaults.
   *
   * @param intervalMs default probe interval
   * @param timeoutMs default probe timeout
   * @param fall default failures before DOWN
   * @param rise default successes before UP
   */
  public record Defaults(long intervalMs, long timeoutMs, int fall, int rise) {
    public static final Defaults DEFAULT =
        new Defaults(
            Target.DEFAULT_INTERVAL_MS,
            Target.DEFAULT_TIMEOUT_MS,
            Target.DEFAULT_FALL,
            Target.DEFAULT_RISE);
  }

  /**
   * A group of targets shown and judged together (e.g. the members of one round-robin name).
   *
   * @param id group id
   * @param name display name
   * @param description free text
   */
  public record Group(String id, String name, String description) {}
}
