package io.quorate.config;

import java.util.List;
import java.util.Locale;

/**
 * A DNS name whose RRset Quorate keeps pointed at healthy members: round-robin members are removed
 * and re-added, or traffic moves from primaries to backups.
 *
 * @param id pool id
 * @param zone the {@link DnsZone#zone()} it lives in
 * @param name the owner name, absolute lower-case without the trailing dot, inside {@code zone}
 * @param type {@code A}, {@code AAAA}, {@code CNAME} or {@code MX}
 * @param ttl TTL of the records written
 * @param members the members, in preference order
 * @param minMembers never publish fewer records than this (fail open instead)
 * @param maxChangesPerWindow at most this many changes per {@code windowMs} (then wait)
 * @param windowMs the window of {@code maxChangesPerWindow}
 * @param holdDownMs a recovered member returns only after its verdict was UP this long
 * @param flapChanges more changes than this within {@code flapWindowMs} freezes the pool (one
 *     event; an operator resumes it)
 * @param flapWindowMs the flap detection window
 * @param failback {@code AUTO}: traffic returns to primaries when they recover; {@code MANUAL}: it
 *     stays on backups until an operator releases the pool
 * @param degradedIsUp whether a DEGRADED verdict keeps a member in (default true)
 * @param dryRun plan and log, never write
 */
public record Pool(
    String id,
    String zone,
    String name,
    String type,
    long ttl,
    List<Member> members,
    int minMembers,
    int maxChangesPerWindow,
    long windowMs,
    long holdDownMs,
    int flapChanges,
    long flapWindowMs,
    Failback failback,
    boolean degradedIsUp,
    boolean dryRun) {

  public static final int DEFAULT_MIN_MEMBERS = 1;
  public static final int DEFAULT_MAX_CHANGES_PER_WINDOW = 10;
  public static final long DEFAULT_WINDOW_MS = 3_600_000;
  public static final long DEFAULT_HOLD_DOWN_MS = 30_000;
  public static final int DEFAULT_FLAP_CHANGES = 6;
  public static final long DEFAULT_FLAP_WINDOW_MS = 600_000;

  public Pool {
    members = List.copyOf(members);
  }

  /** Traffic return policy after primaries recover. */
  public enum Failback {
    AUTO,
    MANUAL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A member's role: primaries serve while any is up; backups only when none is. */
  public enum Role {
    PRIMARY,
    BACKUP;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One member.
   *
   * @param id member id (unique in the pool)
   * @param value the RDATA in presentation form: an address (A/AAAA), a host name (CNAME), or
   *     {@code "<priority> <host>"} (MX); names absolute without the trailing dot
   * @param target the target whose verdict drives this member
   * @param role primary or backup
   * @param drained administratively kept out (shown as such)
   */
  public record Member(String id, String value, String target, Role role, boolean drained) {}
}
