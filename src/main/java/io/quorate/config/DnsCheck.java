package io.quorate.config;

import java.util.List;

/**
 * A DNS query at one server, or a zone consistency check across all authoritative servers.
 *
 * @param name query name (absolute or relative to the root), e.g. {@code www.example.test}
 * @param qtype query type mnemonic, e.g. {@code A}, {@code SOA}
 * @param transport {@code udp} (retry over TCP when the answer has TC) or {@code tcp}
 * @param expectRcode expected RCODE mnemonic, default {@code NOERROR}
 * @param authoritative require the AA flag
 * @param recursionDesired set RD in the query (default false: we ask authoritative servers)
 * @param answer assertions on the answer RRset (of type {@code qtype}, owner {@code name})
 * @param consistency when non-null: SOA consistency mode instead of a single query
 */
public record DnsCheck(
    String name,
    String qtype,
    String transport,
    String expectRcode,
    boolean authoritative,
    boolean recursionDesired,
    AnswerAssertions answer,
    Consistency consistency)
    implements Check {

  public static final String DEFAULT_TRANSPORT = "udp";
  public static final String DEFAULT_RCODE = "NOERROR";

  /**
   * Assertions on the whole answer RRset; every non-null one must hold. Values are compared in
   * dnsjava's presentation form of the RDATA (e.g. {@code 127.0.0.1}, {@code 10
   * mail.example.test.}), names case-insensitively and with or without the trailing dot.
   *
   * @param equals the RRset must be exactly this set
   * @param contains the RRset must contain each of these
   * @param count the RRset must have exactly this many records
   * @param nonEmpty the RRset must not be empty
   * @param minTtl every TTL must be at least this
   * @param maxTtl every TTL must be at most this
   */
  public record AnswerAssertions(
      List<String> equals,
      List<String> contains,
      Integer count,
      boolean nonEmpty,
      Long minTtl,
      Long maxTtl) {
    public static final AnswerAssertions NONE =
        new AnswerAssertions(null, null, null, false, null, null);
  }

  /**
   * Zone consistency: ask each authoritative server for the zone's SOA; differing serials are
   * DEGRADED (INCONSISTENT), an unreachable server is DOWN only when all are.
   *
   * @param zone the zone apex
   * @param servers {@code host:port} list; empty = find them from the NS RRset at the target
   *     address (their addresses from A queries to the same server)
   */
  public record Consistency(String zone, List<String> servers) {}
}
