package io.quorate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A position in a parsed YAML tree together with its path ({@code targets[3].http.path}). Typed
 * reads record an error at this path and return {@code null} instead of throwing, so one pass over
 * a file reports every problem in it.
 *
 * <p>An absent key is not an error unless read with a {@code required} method; an explicit YAML
 * {@code null} is present and has the wrong type for every read.
 */
final class YamlNode {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private final JsonNode json;
  private final String path;
  private final Errors errors;

  YamlNode(JsonNode json, String path, Errors errors) {
    this.json = json;
    this.path = path;
    this.errors = errors;
  }

  String path() {
    return path;
  }

  Errors errors() {
    return errors;
  }

  boolean present() {
    return json != null;
  }

  void error(String message) {
    errors.add(path, message);
  }

  /** The child at {@code key} (absent when this is not a mapping or has no such key). */
  YamlNode get(String key) {
    JsonNode child = json != null && json.isObject() ? json.get(key) : null;
    return new YamlNode(child, childPath(key), errors);
  }

  /**
   * Whether this is a mapping; reports every key not in {@code allowed} as unknown. Absent: false
   * without an error; another type: false with "must be a mapping".
   */
  boolean mapping(Set<String> allowed) {
    if (json == null) {
      return false;
    }
    if (!json.isObject()) {
      error("must be a mapping");
      return false;
    }
    Iterator<String> names = json.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        errors.add(childPath(key), "unknown key");
      }
    }
    return true;
  }

  /** The entries of a mapping, in document order; {@code null} when absent or not a mapping. */
  List<Map.Entry<String, YamlNode>> entries() {
    if (json == null) {
      return null;
    }
    if (!json.isObject()) {
      error("must be a mapping");
      return null;
    }
    List<Map.Entry<String, YamlNode>> out = new ArrayList<>();
    json.fieldNames().forEachRemaining(k -> out.add(Map.entry(k, get(k))));
    return out;
  }

  /** The items of a list; {@code null} when absent or not a list. */
  List<YamlNode> items() {
    if (json == null) {
      return null;
    }
    if (!json.isArray()) {
      error("must be a list");
      return null;
    }
    List<YamlNode> out = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      out.add(new YamlNode(json.get(i), path + "[" + i + "]", errors));
    }
    return out;
  }

  /** The items of a list, or an empty list when absent or not a list. */
  List<YamlNode> itemsOrEmpty() {
    List<YamlNode> items = items();
    return items == null ? List.of() : items;
  }

  /** A string, possibly empty; {@code null} when absent or of another type. */
  String string() {
    if (json == null) {
      return null;
    }
    if (!json.isTextual()) {
      error("must be a string");
      return null;
    }
    return json.textValue();
  }

  /** The string here without type checks or errors; {@code null} when absent or not a string. */
  String peekString() {
    return json != null && json.isTextual() ? json.textValue() : null;
  }

  /** The boolean here without type checks or errors; {@code null} when absent or not a boolean. */
  Boolean peekBoolean() {
    return json != null && json.isBoolean() ? json.booleanValue() : null;
  }

  /** A non-empty string; {@code null} (with an error) when empty or of another type. */
  String nonEmptyString() {
    String s = string();
    if (s != null && s.isEmpty()) {
      error("must not be empty");
      return null;
    }
    return s;
  }

  /** A non-empty string that must be present. */
  String requiredString() {
    if (!requirePresent()) {
      return null;
    }
    return nonEmptyString();
  }

  /** Reports "required" when absent; returns whether present. */
  boolean requirePresent() {
    if (json == null) {
      error("required");
      return false;
    }
    return true;
  }

  /** A whole number; {@code null} when absent or of another type. */
  Long integer() {
    if (json == null) {
      return null;
    }
    if (!json.isIntegralNumber()) {
      error("must be an integer");
      return null;
    }
    if (!json.canConvertToLong()) {
      error("integer out of range");
      return null;
    }
    return json.longValue();
  }

  /** A whole number in {@code [min, max]}; {@code fallback} when absent. */
  Long integer(long min, long max, Long fallback) {
    Long n = integer();
    if (n == null) {
      return json == null ? fallback : null;
    }
    if (n < min || n > max) {
      error("must be between " + min + " and " + max);
      return null;
    }
    return n;
  }

  /** A finite number (integer or decimal); {@code null} when absent or of another type. */
  Double decimal() {
    if (json == null) {
      return null;
    }
    if (!json.isNumber() || !Double.isFinite(json.doubleValue())) {
      error("must be a number");
      return null;
    }
    return json.doubleValue();
  }

  /** A boolean; {@code fallback} when absent, {@code null} when of another type. */
  Boolean bool(boolean fallback) {
    if (json == null) {
      return fallback;
    }
    if (!json.isBoolean()) {
      error("must be a boolean");
      return null;
    }
    return json.booleanValue();
  }

  private String childPath(String key) {
    String part = PLAIN_KEY.matcher(key).matches() ? key : null;
    if (part == null) {
      String quoted = "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
      return path + quoted;
    }
    return path.isEmpty() ? part : path + "." + part;
  }
}
