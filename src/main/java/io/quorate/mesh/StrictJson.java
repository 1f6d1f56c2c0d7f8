package io.quorate.mesh;

import io.quorate.mesh.MeshRejection.Reason;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict readers for mesh JSON: exact key sets, exact types, bounded strings. Every problem is a
 * {@link MeshRejection} with reason {@code malformed} naming the field (never echoing its value).
 */
final class StrictJson {
  /** Region and target ids, as in the config ({@code [a-z0-9][a-z0-9._-]*}, at most 63). */
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private static final int MAX_TIME_LENGTH = 40;

  private StrictJson() {}

  static MeshRejection malformed(String detail) {
    return new MeshRejection(Reason.MALFORMED, detail);
  }

  /** Parses {@code bytes} as one JSON object (Jackson bounds nesting depth and number sizes). */
  static JsonObject object(Buffer bytes) throws MeshRejection {
    Object v;
    try {
      v = bytes.toJsonValue();
    } catch (RuntimeException e) {
      throw malformed("not valid JSON");
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    throw malformed("not a JSON object");
  }

  /** Refuses unknown and missing keys (a nullable field must still be present). */
  static void exactKeys(JsonObject o, Set<String> keys, String where) throws MeshRejection {
    for (String k : o.fieldNames()) {
      if (!keys.contains(k)) {
        throw malformed(where + ": unknown field");
      }
    }
    for (String k : keys) {
      if (!o.containsKey(k)) {
        throw malformed(where + "." + k + ": missing");
      }
    }
  }

  static String id(JsonObject o, String key, String where) throws MeshRejection {
    Object v = o.getValue(key);
    if (v instanceof String s && ID.matcher(s).matches()) {
      return s;
    }
    throw malformed(where + "." + key + ": must be an id");
  }

  static long positiveLong(JsonObject o, String key, String where) throws MeshRejection {
    Object v = o.getValue(key);
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() > 0) {
      return ((Number) v).longValue();
    }
    throw malformed(where + "." + key + ": must be a positive integer");
  }

  /** An RFC 3339 time; {@code null} allowed when {@code nullable}. */
  static Instant instant(JsonObject o, String key, boolean nullable, String where)
      throws MeshRejection {
    Object v = o.getValue(key);
    if (v == null && nullable) {
      return null;
    }
    if (v instanceof String s && s.length() <= MAX_TIME_LENGTH) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw malformed(where + "." + key + ": must be an RFC 3339 time");
  }

  static String string(JsonObject o, String key, int max, boolean nullable, String where)
      throws MeshRejection {
    Object v = o.getValue(key);
    if (v == null && nullable) {
      return null;
    }
    if (v instanceof String s && s.length() <= max) {
      return s;
    }
    throw malformed(where + "." + key + ": must be a string of at most " + max + " characters");
  }

  static boolean bool(JsonObject o, String key, String where) throws MeshRejection {
    if (o.getValue(key) instanceof Boolean b) {
      return b;
    }
    throw malformed(where + "." + key + ": must be a boolean");
  }

  static JsonArray array(JsonObject o, String key, int max, String where) throws MeshRejection {
    if (!(o.getValue(key) instanceof JsonArray a)) {
      throw malformed(where + "." + key + ": must be a list");
    }
    if (a.size() > max) {
      throw malformed(where + "." + key + ": more than " + max + " items");
    }
    return a;
  }

  /** The constant of {@code type} whose {@code name()} (or wire name) is the value. */
  static <E extends Enum<E>> E enumValue(
      JsonObject o, String key, Class<E> type, boolean nullable, String where)
      throws MeshRejection {
    Object v = o.getValue(key);
    if (v == null && nullable) {
      return null;
    }
    if (v instanceof String s) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(s)) {
          return e;
        }
      }
    }
    throw malformed(where + "." + key + ": not a known value");
  }

  /** {@code s} cut to at most {@code max} chars without splitting a surrogate pair. */
  static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }
}
