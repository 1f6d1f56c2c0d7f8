package io.quorate.probe.mail;

/**
 * How long one phase of a line-protocol run may take: a share of the target's {@code timeoutMs}, at
 * least {@link #FLOOR_MS}, and never more than the time left until the whole probe's deadline. The
 * limit is fixed when the phase starts and covers every read of the phase (all lines of a
 * multi-line SMTP reply, all untagged IMAP lines before the tagged completion, a whole CAPA list).
 *
 * <p>Why these shares: a phase that stalls should be reported as <em>that</em> phase's timeout
 * without letting one step eat the whole budget; but the shares are generous where servers delay on
 * purpose. A greeting may be held back (Postfix postscreen's {@code postscreen_greet_wait} is 6 s,
 * sendmail's {@code greet_pause}; RFC 5321 §4.5.3.2.1 lets clients wait 5 minutes), and a login may
 * be slowed by password hashing or a failure delay (Dovecot {@code auth_failure_delay}, 2 s by
 * default), so both get three quarters. An ordinary command reply gets half. The TCP connect and
 * the TLS handshake get all the time left: a handshake cut before the deadline would only turn a
 * slow server's late success into an earlier TIMEOUT, and Vert.x's own default (10 s) must never be
 * the limit.
 */
public enum PhaseLimit {
  /** TCP connect and TLS handshake (implicit or after STARTTLS/STLS): all the time left. */
  REMAINING(1, 1),
  /** The greeting or banner: 3/4 of the timeout. */
  GREETING(3, 4),
  /** One command's whole reply (EHLO, CAPABILITY, CAPA, STARTTLS, QUIT, ...): 1/2. */
  REPLY(1, 2),
  /** Login and opening the mailbox (AUTH, LOGIN, USER, PASS, SELECT, STAT): 3/4. */
  LOGIN(3, 4);

  /** The least a bounded phase gets, whatever the share (unless less time is left). */
  public static final long FLOOR_MS = 1_000;

  private final long numerator;
  private final long denominator;

  PhaseLimit(long numerator, long denominator) {
    this.numerator = numerator;
    this.denominator = denominator;
  }

  /**
   * The limit of a phase starting now, for a probe of {@code timeoutMs} with {@code leftMs} left.
   */
  public long limitMs(long timeoutMs, long leftMs) {
    long share =
        this == REMAINING ? leftMs : Math.max(FLOOR_MS, timeoutMs * numerator / denominator);
    return Math.max(0, Math.min(leftMs, share));
  }
}
