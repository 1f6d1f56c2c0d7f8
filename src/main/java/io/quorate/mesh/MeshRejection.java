package io.quorate.mesh;

import java.util.Locale;

/**
 * Why a mesh message (or pull) was refused. Carries a closed {@link Reason} for counting and a
 * short detail for the log; the detail never contains a key and echoes at most a clipped id.
 */
public final class MeshRejection extends Exception {
  private static final long serialVersionUID = 1L;

  /** The closed set of rejection reasons; {@link #wireName()} is used in metrics, API, logs. */
  public enum Reason {
    UNKNOWN_REGION(401),
    BAD_SIGNATURE(401),
    REPLAY(409),
    SKEW(400),
    TOO_LARGE(413),
    MALFORMED(400),
    /**
     * A replayed seq on a message sent <em>after</em> the last accepted one: one sender numbers and
     * dates its messages together (one push in flight per peer), so this means a second agent is
     * speaking as the same region (same region file and key on another machine). Refused like a
     * replay, counted and logged apart.
     */
    IDENTITY_CLASH(409);

    private final int httpStatus;

    Reason(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /** e.g. {@code bad-signature}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** The reason with this wire name, or {@code null}. */
    public static Reason fromWire(String s) {
      for (Reason r : values()) {
        if (r.wireName().equals(s)) {
          return r;
        }
      }
      return null;
    }
  }

  private final Reason reason;

  public MeshRejection(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The detail text (same as {@link #getMessage()}). */
  public String detail() {
    return getMessage();
  }
}
