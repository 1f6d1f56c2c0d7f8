package io.quorate.probe.dns;

import io.quorate.probe.ErrorKind;
import io.quorate.probe.Failures;
import java.util.Objects;

/**
 * A DNS probe failure that already knows how it is reported: its {@link ErrorKind} and a short
 * human detail. Thrown (as a failed future) by {@link DnsTransport} and the probe; turned into a
 * {@link io.quorate.probe.ProbeResult} at the edge. Carries no stack trace: it is an expected
 * outcome, not a bug.
 */
public final class DnsProbeException extends RuntimeException {
  private final ErrorKind kind;

  public DnsProbeException(ErrorKind kind, String detail) {
    super(detail, null, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public ErrorKind kind() {
    return kind;
  }

  public String detail() {
    return getMessage();
  }

  /** This failure with {@code prefix + ": "} in front of its detail. */
  public DnsProbeException prefixed(String prefix) {
    return new DnsProbeException(kind, prefix + ": " + getMessage());
  }

  /** Wraps any throwable: a {@code DnsProbeException} stays as is, others are classified. */
  public static DnsProbeException of(String phase, Throwable t) {
    if (t instanceof DnsProbeException d) {
      return d;
    }
    Failures.Classified c = Failures.classify(phase, t);
    return new DnsProbeException(c.kind(), c.detail());
  }
}
