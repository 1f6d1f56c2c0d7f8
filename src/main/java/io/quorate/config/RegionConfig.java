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
 */
public record RegionConfig(
    String region,
    Listen listen,
    Path dataDir,
    List<ApiToken> tokens,
    Scheduler scheduler,
    Mesh mesh,
    Listen authoritative) {

  public RegionConfig {
    tokens = List.copyOf(tokens);
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
   */
  public record Scheduler(int maxConcurrentProbes, int jitterPercent, int observationsPerTarget) {
    public static final int DEFAULT_MAX_CONCURRENT = 256;
    public static final int DEFAULT_JITTER_PERCENT = 10;
    public static final int DEFAULT_OBSERVATIONS_PER_TARGET = 20;
    public static final Scheduler DEFAULT =
        new Scheduler(
            DEFAULT_MAX_CONCURRENT, DEFAULT_JITTER_PERCENT, DEFAULT_OBSERVATIONS_PER_TARGET);
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
}
