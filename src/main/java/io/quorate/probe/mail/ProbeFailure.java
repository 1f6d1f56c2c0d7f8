package io.quorate.probe.mail;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;

/**
 * A classified failure raised inside a line-protocol dialog: it already knows its {@link ErrorKind}
 * and outcome (DOWN, or DEGRADED for a busy server), so it needs no guessing from an I/O exception.
 * The message is a short human detail without the phase, which {@link LineRun} prefixes.
 */
public final class ProbeFailure extends RuntimeException {
  private final Outcome outcome;
  private final ErrorKind kind;

  public ProbeFailure(Outcome outcome, ErrorKind kind, String detail) {
    super(detail, null, false, false);
    if (outcome == Outcome.UP) {
      throw new IllegalArgumentException("a failure is never UP");
    }
    this.outcome = outcome;
    this.kind = kind;
  }

  /** A DOWN failure of {@code kind}. */
  public static ProbeFailure down(ErrorKind kind, String detail) {
    return new ProbeFailure(Outcome.DOWN, kind, detail);
  }

  /** The server answered but is busy or deferring (SMTP 4xx, IMAP BYE, POP3 -ERR greeting). */
  public static ProbeFailure busy(String detail) {
    return new ProbeFailure(Outcome.DEGRADED, ErrorKind.BUSY, detail);
  }

  public static ProbeFailure protocol(String detail) {
    return down(ErrorKind.PROTOCOL, detail);
  }

  public Outcome outcome() {
    return outcome;
  }

  public ErrorKind kind() {
    return kind;
  }
}
