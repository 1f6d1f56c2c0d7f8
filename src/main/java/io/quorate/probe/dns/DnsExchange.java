package io.quorate.probe.dns;

import org.xbill.DNS.Message;

/**
 * One completed query/answer exchange with a server.
 *
 * @param response the validated answer (ID and question match the query)
 * @param transport {@code udp} or {@code tcp}
 * @param connectMs TCP connect time; {@code null} for UDP
 * @param firstByteMs from sending the query to the first byte of the answer
 * @param size answer size in bytes (without the TCP length prefix)
 * @param truncatedRetry this TCP exchange retried a UDP answer that had TC set (RFC 7766 §5)
 */
public record DnsExchange(
    Message response,
    String transport,
    Double connectMs,
    double firstByteMs,
    int size,
    boolean truncatedRetry) {

  /** The same exchange, marked as a retry after a truncated UDP answer. */
  DnsExchange afterTruncation() {
    return new DnsExchange(response, transport, connectMs, firstByteMs, size, true);
  }
}
