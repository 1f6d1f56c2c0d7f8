package io.quorate.dns;

/**
 * A read or UPDATE that did not succeed, with the protocol codes that say why (like Vert.x's {@code
 * DnsException}). {@code kind} tells the caller what to do: re-read and re-plan, back off and
 * retry, or alert that failover cannot be applied.
 */
public final class DnsUpdateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, grouped by what the caller should do about it. */
  public enum Kind {
    /** NXRRSET / YXRRSET / NXDOMAIN / YXDOMAIN on a prerequisite: someone else changed it. */
    PREREQUISITE_FAILED,
    /** NOTAUTH, or TSIG BADSIG / BADKEY: the key is wrong or not allowed (do not retry). */
    NOT_AUTHORIZED,
    /** TSIG BADTIME: clocks differ too much. */
    BAD_TIME,
    /** REFUSED: the server's policy does not allow this update. */
    REFUSED,
    /** SERVFAIL or another server-side failure (retry with backoff). */
    SERVER_FAILURE,
    /** No answer in time, connection refused or reset (retry with backoff; state unknown). */
    TRANSPORT,
    /** An answer whose TSIG did not verify: the outcome is unknown, re-read before deciding. */
    UNVERIFIED,
    /** The UPDATE would exceed the safe message size; refused before sending. */
    TOO_LARGE,
    /** Anything else the server answered that we did not expect. */
    PROTOCOL
  }

  private final Kind kind;
  private final int rcode;
  private final int tsigError;

  public DnsUpdateException(Kind kind, int rcode, int tsigError, String message) {
    super(message);
    this.kind = kind;
    this.rcode = rcode;
    this.tsigError = tsigError;
  }

  public Kind kind() {
    return kind;
  }

  /** The DNS RCODE of the answer, or -1 without one. */
  public int rcode() {
    return rcode;
  }

  /** The TSIG error (RFC 8945 §5.3) of the answer, or 0. */
  public int tsigError() {
    return tsigError;
  }

  /** Whether retrying the same request later may succeed. */
  public boolean retryable() {
    return kind == Kind.TRANSPORT || kind == Kind.SERVER_FAILURE || kind == Kind.BAD_TIME;
  }
}
