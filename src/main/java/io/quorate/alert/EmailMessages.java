package io.quorate.alert;

import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of an alert email: a subject that says what and where, a plain-text and an HTML body
 * with the same facts (every value HTML-escaped), and a {@code Message-ID} derived from the event
 * id, so a second delivery of the same event is recognisable as a duplicate (RFC 5322 §3.6.4).
 */
final class EmailMessages {
  static final String EVENT_ID_HEADER = "X-Quorate-Event-Id";
  static final int MAX_SUBJECT_CHARS = 200;
  static final int MAX_DETAILS = 50;
  static final int MAX_VALUE_CHARS = 1000;

  private EmailMessages() {}

  /** {@code [CRITICAL] web-2 DOWN in 3/3 regions — www.example.test}; one line, bounded. */
  static String subject(AlertEvent e) {
    String tag = e.resolution() ? "RESOLVED" : e.severity().name();
    return "[" + tag + "] " + oneLine(e.summary(), MAX_SUBJECT_CHARS);
  }

  /**
   * {@code <evt_….quorate@domain>} from the event id and the sender's domain: the same on every
   * delivery of the event. Characters outside RFC 5322 {@code atext} (minus a few) become '-'.
   */
  static String messageId(AlertEvent e, String from) {
    int at = from.lastIndexOf('@');
    String domain = at >= 0 ? from.substring(at + 1).replaceAll("[^A-Za-z0-9.-]", "") : "";
    return "<" + headerSafe(e.id()) + ".quorate@" + (domain.isEmpty() ? "quorate" : domain) + ">";
  }

  /** The event id as a header value: only {@code [A-Za-z0-9._-]}, others replaced by '-'. */
  static String headerSafe(String id) {
    String s = id.replaceAll("[^A-Za-z0-9._-]", "-");
    return s.length() > 200 ? s.substring(0, 200) : s;
  }

  static String text(AlertEvent e) {
    StringBuilder b = new StringBuilder();
    b.append(subject(e).replaceFirst("^\\[([A-Z]+)\\] ", "$1: ")).append("\n\n");
    facts(e).forEach((k, v) -> b.append(String.format("%-8s %s%n", k + ":", v)));
    Map<String, String> details = details(e);
    if (!details.isEmpty()) {
      b.append("\nDetails:\n");
      details.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
    }
    b.append("\n-- \nSent by Quorate. A repeated delivery of this event carries the same ")
        .append(EVENT_ID_HEADER)
        .append(".\n");
    return b.toString();
  }

  static String html(AlertEvent e) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><body>\n<h2>");
    b.append(escape(subject(e))).append("</h2>\n<table>\n");
    facts(e).forEach((k, v) -> row(b, k, v));
    details(e).forEach((k, v) -> row(b, k, v));
    b.append("</table>\n<p>Sent by Quorate.</p>\n</body></html>\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("<tr><th align=\"left\">")
        .append(escape(k))
        .append("</th><td>")
        .append(escape(v))
        .append("</td></tr>\n");
  }

  private static Map<String, String> facts(AlertEvent e) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("What", e.kind());
    m.put("Where", e.group() == null ? e.subject() : e.subject() + " (group " + e.group() + ")");
    if (e.region() != null) {
      m.put("Region", e.region());
    }
    m.put("When", DateTimeFormatter.ISO_INSTANT.format(e.occurredAt()));
    m.put("Event", e.id());
    m.replaceAll((k, v) -> oneLine(v, MAX_VALUE_CHARS));
    return m;
  }

  private static Map<String, String> details(AlertEvent e) {
    Map<String, String> m = new TreeMap<>();
    new TreeMap<>(e.details())
        .entrySet().stream()
            .limit(MAX_DETAILS)
            .forEach(d -> m.put(oneLine(d.getKey(), 100), oneLine(d.getValue(), MAX_VALUE_CHARS)));
    return m;
  }

  /** Control characters (CR, LF, …) become spaces; bounded to {@code max} characters. */
  static String oneLine(String s, int max) {
    String t = s.replaceAll("\\p{Cntrl}+", " ").strip();
    return t.length() <= max ? t : t.substring(0, max - 1) + "…";
  }

  /** HTML text and attribute escaping (the five characters with a meaning in HTML). */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
