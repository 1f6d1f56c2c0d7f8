package io.quorate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One agent's own configuration ({@code regions/<id>.yaml}).
 *
 * @param region this agent's region id (one of {@link QuorateConfig#regions()})
 * @param listen where the REST API, metrics and health endpoints listen
 * @param dataDir where the agent keeps its state
 * @param tokens API bearer tokens
 * @param scheduler probe scheduling limits for this agent's machine
 * @param mesh this region's signing key and its peers
 * @param authoritative where this agent's embedded authoritative DNS server listens, or {@code
 *     null} when it serves none
 * @param store how long the store keeps what (ADR 0015)
 */
public record RegionConfig(
    String region,
    Listen listen,
    Path dataDir,
    List<ApiToken> tokens,
    Scheduler scheduler,
    Mesh mesh,
    Listen authoritative,
    Store store) {

  public RegionConfig {
    tokens = List.copyOf(tokens);
    store = store == null ? Store.DEFAULT : store;
  }

  /** With the default store retention. */
  public RegionConfig(
      String region,
      Listen listen,
      Path dataDir,
      List<ApiToken> tokens,
      Scheduler scheduler,
      Mesh mesh,
      Listen authoritative) {
    this(region, listen, dataDir, tokens, scheduler, mesh, authoritative, Store.DEFAULT);
  }

  /** A region without an embedded authoritative server. */
  public RegionConfig(
      String region,
      Listen listen,
      Path dataDir,
      List<ApiToken> tokens,
      Scheduler scheduler,
      Mesh mesh) {
    this(region, listen, dataDir, tokens, scheduler, mesh, null);
  }

  /** Listen address of the HTTP server. */
  public record Listen(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
  }

  /** API token scopes: {@code read} sees, {@code operate} changes things. */
  public enum Scope {
    READ,
    OPERATE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * An API bearer token.
   *
   * @param name who holds it (shown in logs and audit; the token itself never is)
   * @param token the secret value, by reference
   * @param scopes what it may do
   */
  public record ApiToken(String name, Secret token, Set<Scope> scopes) {
    public ApiToken {
      scopes = Set.copyOf(scopes);
    }
  }

  /**
   * Scheduler limits.
   *
   * @param maxConcurrentProbes global bound on probes in flight
   * @param jitterPercent each interval is stretched or shrunk by up to this percentage (0-50)
   * @param observationsPerTarget recent results kept in memory per target
   * @param observationsMemoryMB heap budget (MiB) of the recent results of all targets together:
   *     fewer per target when there are many targets, at least one each
   */
  public record Scheduler(
      int maxConcurrentProbes,
      int jitterPercent,
      int observationsPerTarget,
      int observationsMemoryMB) {
    public static final int DEFAULT_MAX_CONCURRENT = 256;
    public static final int DEFAULT_JITTER_PERCENT = 10;
    public static final int DEFAULT_OBSERVATIONS_PER_TARGET = 20;
    public static final int DEFAULT_OBSERVATIONS_MEMORY_MB = 32;
    public static final Scheduler DEFAULT =
        new Scheduler(
            DEFAULT_MAX_CONCURRENT,
            DEFAULT_JITTER_PERCENT,
            DEFAULT_OBSERVATIONS_PER_TARGET,
            DEFAULT_OBSERVATIONS_MEMORY_MB);

    /** With the default memory budget. */
    public Scheduler(int maxConcurrentProbes, int jitterPercent, int observationsPerTarget) {
      this(
          maxConcurrentProbes,
          jitterPercent,
          observationsPerTarget,
          DEFAULT_OBSERVATIONS_MEMORY_MB);
    }
  }

  /**
   * The observation mesh as seen from this region.
   *
   * @param key this region's HMAC-SHA256 signing key; {@code null} when there are no peers
   * @param peers every other region this agent exchanges observations with
   */
  public record Mesh(Secret key, List<Peer> peers) {
    /** No peers: a single-region agent. */
    public static final Mesh NONE = new Mesh(null, List.of());

    public Mesh {
      peers = List.copyOf(peers);
    }
  }

  /**
   * A peer region's agent.
   *
   * @param region its region id
   * @param url its API base URL, e.g. {@code http://198.18.0.12:8080} (no path)
   * @param key its HMAC-SHA256 key, to verify what it sends
   */
  public record Peer(String region, String url, Secret key) {}

  /**
   * Retention of the store (ADR 0015): rows older than the given days are deleted hourly and at
   * start; beyond {@code maxRows} rows in one table the oldest go first.
   *
   * @param rawDays failing raw observations
   * @param minuteDays per-minute rollups
   * @param dailyDays daily rollups
   * @param historyDays verdict transitions (each target's newest is always kept)
   * @param auditDays audit log entries
   * @param maxRows cap per table
   */
  public record Store(
      int rawDays, int minuteDays, int dailyDays, int historyDays, int auditDays, long maxRows) {
    public static final int DEFAULT_RAW_DAYS = 7;
    public static final int DEFAULT_MINUTE_DAYS = 90;
    public static final int DEFAULT_DAILY_DAYS = 730;
    public static final int DEFAULT_HISTORY_DAYS = 400;
    public static final int DEFAULT_AUDIT_DAYS = 400;
    public static final long DEFAULT_MAX_ROWS = 10_000_000;
    public static final Store DEFAULT =
        new Store(
            DEFAULT_RAW_DAYS,
            DEFAULT_MINUTE_DAYS,
            DEFAULT_DAILY_DAYS,
            DEFAULT_HISTORY_DAYS,
            DEFAULT_AUDIT_DAYS,
            DEFAULT_MAX_ROWS);

    public Store {
      if (rawDays < 1 || minuteDays < 1 || dailyDays < 1 || historyDays < 1 || auditDays < 1) {
        throw new IllegalArgumentException("retention days must be >= 1");
      }
      if (maxRows < 1) {
        throw new IllegalArgumentException("maxRows must be >= 1");
      }
    }
  }
}
