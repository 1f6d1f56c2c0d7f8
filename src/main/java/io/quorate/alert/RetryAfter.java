package io.quorate.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Parses a {@code Retry-After} header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date in
 * any of the three formats a recipient must accept (RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850
 * and asctime). The result is bounded by {@link #MAX_MS} so a server cannot park a delivery beyond
 * the outbox's retry period.
 */
public final class RetryAfter {
  /** The longest wait a server can ask for: 6 hours. */
  public static final long MAX_MS = Duration.ofHours(6).toMillis();

  private static final int MAX_LENGTH = 64;
  private static final List<DateTimeFormatter> DATES =
      List.of(
          DateTimeFormatter.RFC_1123_DATE_TIME, // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
          new DateTimeFormatterBuilder() // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
              .appendPattern("EEEE, dd-MMM-")
              .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
              .appendPattern(" HH:mm:ss zzz")
              .toFormatter(Locale.US),
          DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
              .withZone(ZoneOffset.UTC)); // asctime

  private RetryAfter() {}

  /**
   * Milliseconds from {@code now} the server asks to wait: 0 for a date in the past, capped at
   * {@link #MAX_MS}; -1 when the header is absent or malformed.
   */
  public static long parseMs(String header, Instant now) {
    if (header == null) {
      return -1;
    }
    String v = header.trim();
    if (v.isEmpty() || v.length() > MAX_LENGTH) {
      return -1;
    }
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // delay-seconds = 1*DIGIT; a huge number is simply "a long time"
      return v.length() > 9 ? MAX_MS : Math.min(MAX_MS, Long.parseLong(v) * 1000);
    }
    for (DateTimeFormatter f : DATES) {
      try {
        Instant at = ZonedDateTime.parse(v, f).toInstant();
        long ms = Duration.between(now, at).toMillis();
        return Math.max(0, Math.min(MAX_MS, ms));
      } catch (DateTimeParseException e) {
        // try the next format
      }
    }
    return -1;
  }
}
