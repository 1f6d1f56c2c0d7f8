package io.quorate.probe.http;

import io.quorate.probe.ErrorKind;

/**
 * A probe step that failed with a known {@link ErrorKind}: carried through the future chain of one
 * HTTP exchange and turned into a result at the edge. Not thrown out of the probe.
 */
final class HttpProbeException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  HttpProbeException(ErrorKind kind, String detail) {
    super(detail, null, false, false);
    this.kind = kind;
  }

  ErrorKind kind() {
    return kind;
  }
}
