package io.quorate.probe.http;

import io.quorate.config.HttpCheck;
import io.quorate.config.HttpCheck.HeaderAssertion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The assertions of an {@link HttpCheck} on the final answer: status set (default 200-399), body
 * substring and regular expression ({@code find}), header presence, value and absence. Pure: it
 * only looks at the answer, so it is tested without a server.
 */
final class HttpAssertions {
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  /** The first failed assertion as a short sentence, or {@code null} when all pass. */
  String firstFailure(HttpCheck check, HttpAnswer answer) {
    String failure = status(check.expectStatus(), answer.status());
    if (failure == null) {
      failure = body(check, answer);
    }
    if (failure == null && check.expectHeaders() != null) {
      for (HeaderAssertion h : check.expectHeaders()) {
        failure = header(h, answer.headers().getAll(h.name()));
        if (failure != null) {
          break;
        }
      }
    }
    return failure;
  }

  static boolean statusOk(List<Integer> expected, int status) {
    if (expected == null || expected.isEmpty()) {
      return status >= 200 && status <= 399;
    }
    return expected.contains(status);
  }

  private static String status(List<Integer> expected, int status) {
    if (statusOk(expected, status)) {
      return null;
    }
    String want = expected == null || expected.isEmpty() ? "200-399" : expected.toString();
    return "HTTP " + status + " (expected " + want + ")";
  }

  private String body(HttpCheck check, HttpAnswer answer) {
    if (check.bodyContains() == null && check.bodyRegex() == null) {
      return null;
    }
    String text = answer.body().toString(StandardCharsets.UTF_8);
    if (check.bodyContains() != null && !text.contains(check.bodyContains())) {
      return "body does not contain \"" + check.bodyContains() + "\"";
    }
    if (check.bodyRegex() != null && !pattern(check.bodyRegex()).matcher(text).find()) {
      return "body does not match /" + check.bodyRegex() + "/";
    }
    return null;
  }

  private String header(HeaderAssertion h, List<String> values) {
    if (h.absent()) {
      return values.isEmpty() ? null : "header " + h.name() + " present but must be absent";
    }
    if (values.isEmpty()) {
      return "header " + h.name() + " missing";
    }
    if (h.regex() == null) {
      return null;
    }
    Pattern p = pattern(h.regex());
    for (String v : values) {
      if (p.matcher(v).find()) {
        return null;
      }
    }
    return "header " + h.name() + " " + values + " does not match /" + h.regex() + "/";
  }

  /** Compiles once per distinct expression; a bad one fails the probe, not the caller. */
  private Pattern pattern(String regex) {
    try {
      return patterns.computeIfAbsent(regex, Pattern::compile);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression /" + regex + "/", e);
    }
  }
}
