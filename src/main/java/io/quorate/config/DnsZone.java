package io.quorate.config;

import java.util.List;

/**
 * A zone whose records Quorate may change, and how: RFC 2136 dynamic updates with TSIG to its
 * primary server ({@link Provider#RFC2136}), or served by the agents themselves ({@link
 * Provider#EMBEDDED}: every agent answers for the zone from its own copy, see {@link Embedded}).
 *
 * @param zone the zone apex, absolute lower-case without the trailing dot (e.g. {@code
 *     example.test})
 * @param primary {@code host:port} of the primary server that takes UPDATEs (and is read from);
 *     {@code null} for an embedded zone
 * @param tsig the TSIG key UPDATEs and reads are signed with; for an embedded zone, the key zone
 *     transfers (AXFR/IXFR) and NOTIFY are signed with ({@code null}: transfers refused)
 * @param servers {@code host:port} of every authoritative server to check propagation on; empty =
 *     the zone's NS RRset, resolved at the primary
 * @param epochRecord owner name of a TXT record bumped in the same UPDATE as every change (a fence
 *     a stale writer cannot forge), or {@code null}
 * @param propagationTimeoutMs how long all servers may take to serve a change before an event
 * @param updateTimeoutMs time limit of one read or UPDATE exchange
 * @param provider who publishes the zone
 * @param embedded the zone's own content when {@code provider} is {@link Provider#EMBEDDED}, else
 *     {@code null}
 */
public record DnsZone(
    String zone,
    String primary,
    Tsig tsig,
    List<String> servers,
    String epochRecord,
    long propagationTimeoutMs,
    long updateTimeoutMs,
    Provider provider,
    Embedded embedded) {

  public static final long DEFAULT_PROPAGATION_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_UPDATE_TIMEOUT_MS = 5_000;

  public DnsZone {
    servers = List.copyOf(servers);
  }

  /** An RFC 2136 zone. */
  public DnsZone(
      String zone,
      String primary,
      Tsig tsig,
      List<String> servers,
      String epochRecord,
      long propagationTimeoutMs,
      long updateTimeoutMs) {
    this(
        zone,
        primary,
        tsig,
        servers,
        epochRecord,
        propagationTimeoutMs,
        updateTimeoutMs,
        Provider.RFC2136,
        null);
  }

  public boolean isEmbedded() {
    return provider == Provider.EMBEDDED;
  }

  /** Who publishes a zone. */
  public enum Provider {
    /** RFC 2136 dynamic updates to {@link DnsZone#primary()}. */
    RFC2136,
    /** Quorate's own authoritative server, in every agent ({@code dns/auth}). */
    EMBEDDED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The content of an embedded zone besides its pools, and who follows it.
   *
   * @param soa the SOA fields (the serial is Quorate's: it increases on every change)
   * @param nameServers the apex NS RRset, absolute lower-case host names (typically one agent per
   *     region)
   * @param records static records, in presentation form
   * @param notifyServers ({@code notify:}) {@code host:port} of secondaries sent a NOTIFY (RFC
   *     1996) on every change
   * @param rrl response-rate limit per client network for this zone, or {@code null} for none
   */
  public record Embedded(
      Soa soa,
      List<String> nameServers,
      List<StaticRecord> records,
      List<String> notifyServers,
      RateLimit rrl) {
    public Embedded {
      nameServers = List.copyOf(nameServers);
      records = List.copyOf(records);
      notifyServers = List.copyOf(notifyServers);
    }
  }

  /**
   * SOA fields (RFC 1035 §3.3.13) other than the serial.
   *
   * @param mname primary master name, absolute lower-case
   * @param rname responsible mailbox in domain-name form, e.g. {@code hostmaster.example.test}
   * @param ttl TTL of the SOA record
   */
  public record Soa(
      String mname, String rname, long ttl, long refresh, long retry, long expire, long minimum) {
    public static final long DEFAULT_TTL = 300;
    public static final long DEFAULT_REFRESH = 3600;
    public static final long DEFAULT_RETRY = 600;
    public static final long DEFAULT_EXPIRE = 1_209_600;
    public static final long DEFAULT_MINIMUM = 60;
  }

  /**
   * One static record.
   *
   * @param name owner, absolute lower-case without the trailing dot, inside the zone
   * @param type record type mnemonic, upper-case (e.g. {@code TXT})
   * @param ttl its TTL
   * @param value RDATA in presentation form (checked with dnsjava when the config is read)
   */
  public record StaticRecord(String name, String type, long ttl, String value) {}

  /**
   * Response-rate limiting (in the spirit of BIND's RRL): identical responses to one client network
   * beyond {@code responsesPerSecond} are dropped, except every {@code slip}-th, which is sent
   * truncated (TC) so a real client retries over TCP.
   *
   * @param responsesPerSecond allowed per client /24 (IPv4) or /56 (IPv6)
   * @param slip every slip-th limited response is sent truncated; 0 = drop all
   */
  public record RateLimit(int responsesPerSecond, int slip) {}

  /**
   * A TSIG key (RFC 8945).
   *
   * @param name key name, e.g. {@code lab-update}
   * @param algorithm {@code hmac-sha256} (default), {@code hmac-sha384} or {@code hmac-sha512};
   *     {@code hmac-md5} and {@code hmac-sha1} only with {@code allowWeak}
   * @param secret the base64 secret, by reference
   * @param allowWeak accept hmac-md5 / hmac-sha1 (legacy servers only)
   */
  public record Tsig(String name, String algorithm, Secret secret, boolean allowWeak) {
    public static final String DEFAULT_ALGORITHM = "hmac-sha256";
  }
}
