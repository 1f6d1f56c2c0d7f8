package io.quorate.config;

import java.util.List;

/**
 * A zone whose records Quorate may change, and how: RFC 2136 dynamic updates with TSIG to its
 * primary server.
 *
 * @param zone the zone apex, absolute lower-case without the trailing dot (e.g. {@code
 *     example.test})
 * @param primary {@code host:port} of the primary server that takes UPDATEs (and is read from)
 * @param tsig the TSIG key UPDATEs and reads are signed with
 * @param servers {@code host:port} of every authoritative server to check propagation on; empty =
 *     the zone's NS RRset, resolved at the primary
 * @param epochRecord owner name of a TXT record bumped in the same UPDATE as every change (a fence
 *     a stale writer cannot forge), or {@code null}
 * @param propagationTimeoutMs how long all servers may take to serve a change before an event
 * @param updateTimeoutMs time limit of one read or UPDATE exchange
 */
public record DnsZone(
    String zone,
    String primary,
    Tsig tsig,
    List<String> servers,
    String epochRecord,
    long propagationTimeoutMs,
    long updateTimeoutMs) {

  public static final long DEFAULT_PROPAGATION_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_UPDATE_TIMEOUT_MS = 5_000;

  public DnsZone {
    servers = List.copyOf(servers);
  }

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
