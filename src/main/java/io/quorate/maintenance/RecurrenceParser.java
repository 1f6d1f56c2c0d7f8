package io.quorate.maintenance;

import io.quorate.config.MaintenanceWindow.Frequency;
import io.quorate.config.MaintenanceWindow.Recurrence;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one human recurrence rule (case-insensitive):
 *
 * <pre>
 * rule    = head range zone
 * head    = "daily" | "every day" | ("weekly" | "every") days | ["monthly"] ordinal weekday
 * days    = weekday *("," weekday)           ; spaces around commas allowed
 * ordinal = "first" | "second" | "third" | "fourth" | "last"
 * range   = HH:MM ("-" | "–") HH:MM          ; spaces around the dash allowed; end may be 24:00
 * weekday = a full English name or its first three or more letters (tue, tues, tuesday)
 * zone    = an IANA zone id (Europe/London, UTC) or an offset (+02:00)
 * </pre>
 */
final class RecurrenceParser {
  private static final Pattern TIME = Pattern.compile("([0-9]{1,2}):([0-9]{2})");
  private static final List<String> ORDINALS = List.of("first", "second", "third", "fourth");
  private static final String EXAMPLE = "e.g. 'second tuesday 02:00-04:00 Europe/London'";
  private static final Map<String, String> ZONES = zones();

  private final String text;
  private final String[] tokens;
  private int next;

  RecurrenceParser(String text) {
    if (text == null || text.isBlank()) {
      throw fail("empty rule; " + EXAMPLE);
    }
    if (text.length() > Recurrences.MAX_TEXT) {
      throw fail("rule is longer than " + Recurrences.MAX_TEXT + " characters");
    }
    this.text = text.strip().replaceAll("\\s+", " ");
    this.tokens = this.text.replaceAll(" ?, ?", ",").split(" ");
  }

  Recurrence parse() {
    String first = lower(take("a frequency"));
    Frequency frequency;
    Set<DayOfWeek> days = Set.of();
    int nth = 0;
    DayOfWeek weekday = null;
    if (first.equals("daily") || first.equals("every") && "day".equals(lower(peek()))) {
      frequency = Frequency.DAILY;
      next += first.equals("every") ? 1 : 0;
    } else if (first.equals("weekly") || first.equals("every")) {
      frequency = Frequency.WEEKLY;
      if (peek().isEmpty() || Character.isDigit(peek().charAt(0))) {
        throw fail("missing weekdays after '" + tokens[next - 1] + "', e.g. 'weekly mon,thu'");
      }
      days = days(take("weekdays"));
    } else {
      frequency = Frequency.MONTHLY;
      boolean monthly = first.equals("monthly");
      String ord = monthly ? take("an ordinal after 'monthly'") : tokens[next - 1];
      nth = ordinal(ord, monthly);
      weekday = weekday(take("a weekday after '" + ord + "'"));
    }
    LocalTime[] range = range();
    ZoneId zone = zone(take("a time zone after the times"));
    if (next < tokens.length) {
      throw fail("unexpected '" + tokens[next] + "' after the time zone");
    }
    return new Recurrence(
        frequency, days, nth, weekday, range[0], range[1], zone, null, null, text);
  }

  private Set<DayOfWeek> days(String list) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String d : list.split(",", -1)) {
      DayOfWeek day = weekday(d);
      if (!out.add(day)) {
        throw fail("weekday '" + d + "' is listed twice");
      }
    }
    return out;
  }

  private static DayOfWeek weekday(String word) {
    String w = lower(word);
    for (DayOfWeek d : DayOfWeek.values()) {
      String full = lower(d.name());
      if (w.length() >= 3 && full.startsWith(w)) {
        return d;
      }
    }
    if (w.contains(",")) {
      throw fail("a monthly rule takes one weekday, not '" + word + "'");
    }
    throw fail("unknown weekday '" + word + "'");
  }

  private static int ordinal(String word, boolean afterMonthly) {
    String w = lower(word);
    if (w.equals("last")) {
      return -1;
    }
    int i = ORDINALS.indexOf(w);
    if (i < 0 && afterMonthly) {
      throw fail("unknown ordinal '" + word + "'; use first, second, third, fourth or last");
    }
    if (i < 0) {
      throw fail(
          "unknown frequency '"
              + word
              + "'; start with daily, weekly, every, monthly or first|second|third|fourth|last");
    }
    return i + 1;
  }

  /** The time range, which may be split over tokens around its dash ("02:00 - 04:00"). */
  private LocalTime[] range() {
    String joined = take("a time range HH:MM-HH:MM");
    while (next < tokens.length
        && (endsWithDash(joined) || dash(joined) < 0 && dash(tokens[next]) == 0)) {
      joined += tokens[next++];
    }
    int dash = dash(joined);
    if (dash <= 0 || dash == joined.length() - 1) {
      throw fail("expected a time range HH:MM-HH:MM, found '" + joined + "'");
    }
    String startText = joined.substring(0, dash);
    String endText = joined.substring(dash + 1);
    LocalTime start = time(startText, false);
    if (start == null) {
      throw fail("start time " + startText + " is not HH:MM");
    }
    LocalTime end = time(endText, true);
    if (end == null) {
      throw fail("end time " + endText + " is not HH:MM");
    }
    boolean endOfDay = endText.equals("24:00");
    if (start.equals(end) && !endOfDay) {
      throw fail("a window lasting 0 minutes (" + startText + " to " + endText + ")");
    }
    return new LocalTime[] {start, end};
  }

  /** {@code H:MM} or {@code HH:MM}, 00:00 to 23:59 ({@code 24:00} as an end: midnight). */
  private static LocalTime time(String s, boolean end) {
    Matcher m = TIME.matcher(s);
    if (!m.matches()) {
      return null;
    }
    int h = Integer.parseInt(m.group(1));
    int min = Integer.parseInt(m.group(2));
    if (end && h == 24 && min == 0) {
      return LocalTime.MIDNIGHT;
    }
    return h < 24 && min < 60 ? LocalTime.of(h, min) : null;
  }

  private static ZoneId zone(String word) {
    String id = ZONES.get(lower(word));
    try {
      return ZoneId.of(id != null ? id : word);
    } catch (DateTimeException e) {
      throw fail("unknown time zone '" + word + "'");
    }
  }

  private static int dash(String s) {
    int hyphen = s.indexOf('-');
    int en = s.indexOf('\u2013');
    return hyphen < 0 ? en : en < 0 ? hyphen : Math.min(hyphen, en);
  }

  private static boolean endsWithDash(String s) {
    return s.endsWith("-") || s.endsWith("\u2013");
  }

  private String peek() {
    return next < tokens.length ? tokens[next] : "";
  }

  private String take(String what) {
    if (next >= tokens.length) {
      throw fail("missing " + what + "; " + EXAMPLE);
    }
    return tokens[next++];
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static InvalidRecurrenceException fail(String message) {
    return new InvalidRecurrenceException(message);
  }

  private static Map<String, String> zones() {
    Map<String, String> out = new HashMap<>();
    for (String id : ZoneId.getAvailableZoneIds()) {
      out.put(id.toLowerCase(Locale.ROOT), id);
    }
    return Map.copyOf(out);
  }
}
