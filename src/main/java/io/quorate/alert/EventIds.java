package io.quorate.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Stable event ids: a hash of what the event is about and an anchor instant every region derives
 * from shared data, so two regions raising the same logical event produce the same id and a
 * consumer can drop duplicates (RELIABILITY promise 5).
 *
 * <p>Anchors: a verdict transition uses the earliest {@code since} among the counting votes that
 * agree with the new state — the moment the first region's hysteresis flipped, carried in its vote
 * to every region (the first flipper is also the first to publish, so every region has normally
 * seen it when quorum is reached). Events without such shared data (DNS changes in embedded zones,
 * region and quorum changes, certificates) use their time truncated to {@link #WINDOW_MS}: regions
 * that see the same event within the same window agree; one that sees it across a window boundary
 * raises a duplicate with another id (at least once, never exactly once).
 */
public final class EventIds {
  /** The truncation window of anchors without shared data. */
  public static final long WINDOW_MS = 30_000;

  private EventIds() {}

  /** {@code evt_} + 26 hex digits of SHA-256(kind, subject, anchor ms). */
  public static String of(String kind, String subject, Instant anchor) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] h =
          d.digest(
              (kind + "\n" + subject + "\n" + anchor.toEpochMilli())
                  .getBytes(StandardCharsets.UTF_8));
      return "evt_" + HexFormat.of().formatHex(h).substring(0, 26);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** {@code at} truncated to the window. */
  public static Instant window(Instant at) {
    return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), WINDOW_MS) * WINDOW_MS);
  }

  /** A reminder of an event: derived from its id and the reminder's number. */
  public static String reminder(String id, long n) {
    return id + "-r" + n;
  }
}
