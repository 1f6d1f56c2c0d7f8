package io.quorate.probe;

import java.util.Locale;

/**
 * Why a probe was not UP: a closed set, so alerts, metrics and the API can say why without parsing
 * free text. The wire name ({@link #wireName()}) is lower-case with hyphens.
 */
public enum ErrorKind {
  /** No answer within the phase or overall timeout. */
  TIMEOUT,
  /** The peer actively refused the connection (TCP RST / ICMP port unreachable). */
  REFUSED,
  /** No route, host unreachable, or the address could not be resolved. */
  UNREACHABLE,
  /** The TLS handshake failed (protocol version, cipher, alert). */
  TLS,
  /** The certificate is expired, expiring, untrusted or for another name. */
  CERTIFICATE,
  /** The peer spoke, but not the protocol we expected (bad banner, bad reply, malformed packet). */
  PROTOCOL,
  /** The peer answered correctly but an assertion on the answer failed (status, body, RRset). */
  ASSERTION,
  /** A DNS answer had an unexpected RCODE (SERVFAIL, REFUSED, NXDOMAIN, ...). */
  DNS_RCODE,
  /** Login or AUTH was rejected. */
  AUTH,
  /** The server said it is busy or deferring (SMTP 421/450/451, greylisting). */
  BUSY,
  /** Every check passed but slower than the configured latency threshold. */
  LATENCY,
  /** Several servers that should agree do not (e.g. SOA serials differ). */
  INCONSISTENT,
  /**
   * Mail did not flow: the SMTP server refused the test message (5xx), or accepted it and it did
   * not reach the mailbox within the deadline.
   */
  DELIVERY,
  /** A heartbeat target sent no ok ping within its period plus grace time. */
  MISSED,
  /** A heartbeat target's last ping reported failure ({@code ?status=fail}). */
  REPORTED,
  /** A bug or unexpected local failure in the prober itself. */
  INTERNAL;

  /** The name used in JSON, metrics labels and logs, e.g. {@code dns-rcode}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
