package io.quorate.config;

import java.util.List;
import java.util.Optional;

/**
 * The shared configuration ({@code conf/quorate.yaml}): identical in every region.
 *
 * @param regions the configured region ids, in rank order (the first is the preferred writer)
 * @param quorum how many regions must agree, freshness and mesh timing
 * @param defaults defaults applied to every target that does not set its own
 * @param groups target groups
 * @param targets every probed target
 * @param zones zones Quorate may update
 * @param pools DNS names kept pointed at healthy members
 * @param alerts alert channels and routing
 * @param maintenance maintenance windows defined in the file
 * @param objectives SLA contract terms and SLOs
 * @param statusPage status page settings
 */
public record QuorateConfig(
    List<String> regions,
    Quorum quorum,
    Defaults defaults,
    List<Group> groups,
    List<Target> targets,
    List<DnsZone> zones,
    List<Pool> pools,
    Alerts alerts,
    List<MaintenanceWindow> maintenance,
    Objectives objectives,
    StatusPage statusPage) {

  /** A config without maintenance windows, objectives or status page settings. */
  public QuorateConfig(
      List<String> regions,
      Quorum quorum,
      Defaults defaults,
      List<Group> groups,
      List<Target> targets,
      List<DnsZone> zones,
      List<Pool> pools,
      Alerts alerts) {
    this(
        regions,
        quorum,
        defaults,
        groups,
        targets,
        zones,
        pools,
        alerts,
        List.of(),
        Objectives.NONE,
        StatusPage.DEFAULT);
  }

  /** A config without alerts. */
  public QuorateConfig(
      List<String> regions,
      Quorum quorum,
      Defaults defaults,
      List<Group> groups,
      List<Target> targets,
      List<DnsZone> zones,
      List<Pool> pools) {
    this(regions, quorum, defaults, groups, targets, zones, pools, Alerts.NONE);
  }

  public QuorateConfig {
    regions = List.copyOf(regions);
    groups = List.copyOf(groups);
    targets = IndexedTargets.of(targets);
    zones = List.copyOf(zones);
    pools = List.copyOf(pools);
    maintenance = List.copyOf(maintenance);
  }

  public Optional<Pool> pool(String id) {
    return pools.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  public Optional<DnsZone> zone(String name) {
    return zones.stream().filter(z -> z.zone().equals(name)).findFirst();
  }

  /** The quorum that applies to {@code t}: its group's override, else {@link Quorum#size()}. */
  public int quorumFor(Target t) {
    if (t.group() != null) {
      for (Group g : groups) {
        if (g.id().equals(t.group()) && g.quorum() != null) {
          return g.quorum();
        }
      }
    }
    return quorum.size();
  }

  /** A strict majority of {@code regionCount} regions (2 of 3, 3 of 5, 1 of 1). */
  public static int majority(int regionCount) {
    return regionCount / 2 + 1;
  }

  /** The target with {@code id}: a hash lookup (the list is indexed when the config is built). */
  public Optional<Target> target(String id) {
    return Optional.ofNullable(((IndexedTargets) targets).byId(id));
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
   * @param quorum regions that must agree for this group's targets; {@code null} = the default
   */
  public record Group(String id, String name, String description, Integer quorum) {}

  /**
   * Quorum rules and mesh timing, identical in every region.
   *
   * @param size regions that must agree (default: a strict majority of {@code regions})
   * @param graceMs a vote is fresh for {@code 3 × interval + graceMs} after its receipt
   * @param maxSkewMs mesh messages whose send time differs more from the receiver's clock are
   *     refused
   * @param heartbeatMs how often an idle agent tells its peers it is alive; a peer is live while
   *     its last message is younger than {@code 3 × heartbeatMs + graceMs}
   * @param standbyMs the writer of rank k waits {@code k × standbyMs} before acting
   * @param referenceTargets target ids that check a region's own vantage point; a region that sees
   *     all of them DOWN abstains instead of voting DOWN elsewhere
   */
  public record Quorum(
      int size,
      long graceMs,
      long maxSkewMs,
      long heartbeatMs,
      long standbyMs,
      List<String> referenceTargets) {
    public static final long DEFAULT_GRACE_MS = 5_000;
    public static final long DEFAULT_MAX_SKEW_MS = 60_000;
    public static final long DEFAULT_HEARTBEAT_MS = 1_000;
    public static final long DEFAULT_STANDBY_MS = 5_000;

    public Quorum {
      referenceTargets = List.copyOf(referenceTargets);
    }

    /** Defaults for {@code regionCount} regions. */
    public static Quorum defaults(int regionCount) {
      return new Quorum(
          majority(regionCount),
          DEFAULT_GRACE_MS,
          DEFAULT_MAX_SKEW_MS,
          DEFAULT_HEARTBEAT_MS,
          DEFAULT_STANDBY_MS,
          List.of());
    }

    /** How long after receipt a vote of a target probed every {@code intervalMs} stays fresh. */
    public long freshnessMs(long intervalMs) {
      return 3 * intervalMs + graceMs;
    }

    /** How long after its last message a peer counts as live. */
    public long peerFreshnessMs() {
      return 3 * heartbeatMs + graceMs;
    }
  }
}
