package io.quorate.alert;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough RFC 5322 / MIME parsing to check what a real mail server stored: unfolded headers
 * (all values of a name, in order), RFC 2047 encoded words (Q and B), one level of multipart, and
 * quoted-printable (RFC 2045 §6.7) or base64 part bodies.
 */
record MailParse(Map<String, List<String>> headers, String body) {
  private static final Pattern ENCODED_WORD =
      Pattern.compile("=\\?([^?]+)\\?([QqBb])\\?([^?]*)\\?=");

  static MailParse of(String raw) {
    String normal = raw.replace("\r\n", "\n");
    int split = normal.indexOf("\n\n");
    String head = split < 0 ? normal : normal.substring(0, split);
    String body = split < 0 ? "" : normal.substring(split + 2);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String field : head.replaceAll("\n[ \t]+", " ").split("\n")) {
      int colon = field.indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(
                field.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(field.substring(colon + 1).strip());
      }
    }
    return new MailParse(headers, body);
  }

  /** The first value of header {@code name}, RFC 2047-decoded, or {@code null}. */
  String header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null ? null : decodeWords(v.get(0));
  }

  List<String> all(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The decoded body of the first part whose Content-Type starts with {@code type}. */
  String part(String type) {
    String ct = header("content-type");
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(ct);
    if (!m.find()) {
      throw new AssertionError("not multipart: " + ct);
    }
    for (String chunk : body.split("\n--" + Pattern.quote(m.group(1)))) {
      MailParse p = MailParse.of(chunk.startsWith("--") ? chunk.substring(2) : chunk);
      String pct = p.header("content-type");
      if (pct != null && pct.toLowerCase(Locale.ROOT).startsWith(type)) {
        String cte = String.valueOf(p.header("content-transfer-encoding")).toLowerCase(Locale.ROOT);
        return switch (cte) {
          case "quoted-printable" -> quotedPrintable(p.body());
          case "base64" ->
              new String(Base64.getMimeDecoder().decode(p.body()), StandardCharsets.UTF_8);
          default -> p.body();
        };
      }
    }
    throw new AssertionError("no " + type + " part");
  }

  static String decodeWords(String value) {
    String joined = value.replaceAll("\\?=\\s+=\\?", "?==?"); // space between words is dropped
    Matcher m = ENCODED_WORD.matcher(joined);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Charset cs = Charset.forName(m.group(1));
      String text =
          m.group(2).equalsIgnoreCase("B")
              ? new String(Base64.getDecoder().decode(m.group(3)), cs)
              : new String(qBytes(m.group(3).replace('_', ' ')), cs);
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String quotedPrintable(String s) {
    return new String(qBytes(s.replace("=\n", "")), StandardCharsets.UTF_8);
  }

  private static byte[] qBytes(String s) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=' && i + 2 < s.length()) {
        b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return b.toByteArray();
  }
}
