package io.quorate.probe.dns;

import io.quorate.config.DnsCheck.AnswerAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * Evaluates {@link AnswerAssertions} on an RRset. Values compare in dnsjava's presentation form of
 * the RDATA; unquoted tokens (names, addresses) compare case-insensitively and with or without a
 * trailing dot, quoted strings exactly. A single-string TXT record also matches its unquoted text.
 */
public final class AnswerCheck {
  private AnswerCheck() {}

  /** The first assertion that fails, as a human sentence, or {@code null} when all hold. */
  public static String violation(AnswerAssertions a, List<Record> rrset) {
    if (a == null) {
      return null;
    }
    if (a.nonEmpty() && rrset.isEmpty()) {
      return "answer is empty";
    }
    if (a.count() != null && rrset.size() != a.count()) {
      return "answer "
          + show(rrset)
          + " has "
          + rrset.size()
          + " records (expected "
          + a.count()
          + ")";
    }
    if (a.equals() != null && !sameSet(a.equals(), rrset)) {
      return "answer " + show(rrset) + " does not equal " + a.equals();
    }
    if (a.contains() != null) {
      List<String> missing = a.contains().stream().filter(e -> !anyMatch(e, rrset)).toList();
      if (!missing.isEmpty()) {
        return "answer " + show(rrset) + " does not contain " + missing;
      }
    }
    for (Record r : rrset) {
      if (a.minTtl() != null && r.getTTL() < a.minTtl()) {
        return "TTL " + r.getTTL() + " of " + r.rdataToString() + " is below " + a.minTtl();
      }
      if (a.maxTtl() != null && r.getTTL() > a.maxTtl()) {
        return "TTL " + r.getTTL() + " of " + r.rdataToString() + " is above " + a.maxTtl();
      }
    }
    return null;
  }

  /** Whether {@code expected} (presentation text) denotes the RDATA of {@code r}. */
  public static boolean matches(String expected, Record r) {
    String want = expected.trim();
    if (normalize(want).equals(normalize(r.rdataToString()))) {
      return true;
    }
    return r instanceof TXTRecord txt
        && !want.startsWith("\"")
        && txt.getStrings().size() == 1
        && txt.getStrings().get(0).equals(want);
  }

  /** The RRset's RDATA texts, sorted, e.g. {@code [127.0.0.11, 127.0.0.12]}. */
  public static String show(List<Record> rrset) {
    List<String> texts = new ArrayList<>(rrset.stream().map(Record::rdataToString).toList());
    texts.sort(null);
    return texts.toString();
  }

  private static boolean sameSet(List<String> expected, List<Record> rrset) {
    return expected.stream().allMatch(e -> anyMatch(e, rrset))
        && rrset.stream().allMatch(r -> expected.stream().anyMatch(e -> matches(e, r)));
  }

  private static boolean anyMatch(String expected, List<Record> rrset) {
    return rrset.stream().anyMatch(r -> matches(expected, r));
  }

  /** Lower-cases unquoted tokens and strips one trailing dot from them; quoted text is kept. */
  static String normalize(String text) {
    StringBuilder out = new StringBuilder();
    StringBuilder token = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        out.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          out.append(text.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        flush(token, out);
        out.append(c);
        quoted = true;
      } else if (Character.isWhitespace(c)) {
        flush(token, out);
        if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
          out.append(' ');
        }
      } else {
        token.append(c);
      }
    }
    flush(token, out);
    return out.toString().trim();
  }

  private static void flush(StringBuilder token, StringBuilder out) {
    if (token.length() == 0) {
      return;
    }
    String t = token.toString().toLowerCase(Locale.ROOT);
    if (t.length() > 1 && t.endsWith(".") && !t.endsWith("\\.")) {
      t = t.substring(0, t.length() - 1);
    }
    out.append(t);
    token.setLength(0);
  }
}
