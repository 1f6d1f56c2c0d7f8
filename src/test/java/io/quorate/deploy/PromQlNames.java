package io.quorate.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana {@code label_values(metric, label)} query)
 * reads: label matchers, strings, ranges, grouping clauses and variables are removed, then every
 * identifier that is not a function call, a keyword or a number is a metric name.
 */
final class PromQlNames {
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([^,()]+),[^)]*\\)");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "inf",
          "nan");

  private PromQlNames() {}

  static Set<String> of(String expr) {
    String s = LABEL_VALUES.matcher(expr).replaceAll("$1");
    s =
        s.replaceAll("\"(\\\\.|[^\"\\\\])*\"", " ") // strings
            .replaceAll("\\{[^}]*}", " ") // label matchers
            .replaceAll("\\[[^]]*]", " ") // ranges and subqueries
            .replaceAll("\\$\\{?\\w+}?", " "); // Grafana variables
    s = GROUPING.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String id = m.group();
      boolean call = s.substring(m.end()).stripLeading().startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!call && !number && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
        names.add(id);
      }
    }
    return names;
  }
}
