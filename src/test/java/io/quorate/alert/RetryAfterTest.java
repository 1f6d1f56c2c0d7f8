package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code Retry-After} values (RFC 9110 §10.2.3, dates per §5.6.7), one row per case. */
class RetryAfterTest {
  private static final Instant NOW = Instant.parse("1994-11-06T08:49:00Z");

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "7 | 7000",
        "0 | 0",
        "' 120 ' | 120000",
        "21600 | 21600000",
        "21601 | 21600000", // bounded to 6 h
        "99999999999999999999 | 21600000",
        "Sun, 06 Nov 1994 08:49:37 GMT | 37000", // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT | 37000", // obsolete RFC 850
        "Sun Nov  6 08:49:37 1994 | 37000", // asctime
        "Sun, 06 Nov 1994 08:00:00 GMT | 0", // in the past: now
        "Mon, 07 Nov 1994 08:49:00 GMT | 21600000",
        "-5 | -1",
        "1.5 | -1",
        "soon | -1",
        "'' | -1",
        "NULL | -1",
      })
  void parses(String header, long expectedMs) {
    assertEquals(expectedMs, RetryAfter.parseMs(header, NOW));
  }
}
