package io.quorate.api;

import io.quorate.config.QuorateConfig;
import io.quorate.config.Target;
import io.quorate.maintenance.InvalidRecurrenceException;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.maintenance.Recurrences;
import io.quorate.mesh.MeshCodec;
import io.quorate.mesh.MeshMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /maintenance}, checked field by field: every error is collected (with the
 * field's name) and refused together as one 400 problem whose {@code errors} lists them.
 */
final class MaintenanceRequest {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  static final Set<String> FIELDS =
      Set.of(
          "id",
          "title",
          "description",
          "targets",
          "groups",
          "start",
          "end",
          "every",
          "failover",
          "announce");

  private final QuorateConfig config;
  private final List<String> errors = new ArrayList<>();

  private MaintenanceRequest(QuorateConfig config) {
    this.config = config;
  }

  /** The window {@code body} asks for (its {@code updatedAt} is {@code now}), or a 400 problem. */
  static MeshMessage.Window parse(JsonObject body, QuorateConfig config, Instant now) {
    return new MaintenanceRequest(config).read(body, now);
  }

  private MeshMessage.Window read(JsonObject b, Instant now) {
    b.fieldNames().stream()
        .filter(k -> !FIELDS.contains(k))
        .sorted()
        .forEach(k -> errors.add(Responses.clip(k) + ": unknown field"));
    String id = string(b, "id", 63, false);
    if (id != null && !ID.matcher(id).matches()) {
      errors.add("id: must match [a-z0-9][a-z0-9._-]* (at most 63 characters)");
    }
    String title = string(b, "title", MeshCodec.MAX_TITLE, true);
    if (title != null && title.isBlank()) {
      errors.add("title: must not be blank");
    }
    String description = string(b, "description", MeshCodec.MAX_DESCRIPTION, false);
    int before = errors.size();
    List<String> targets = ids(b, "targets", knownTargets(), "target");
    List<String> groups = ids(b, "groups", knownGroups(), "group");
    if (targets.isEmpty() && groups.isEmpty() && errors.size() == before) {
      errors.add("targets: name at least one target or group");
    }
    String failover = failover(b);
    boolean announce = bool(b, "announce");
    Instant start = null;
    Instant end = null;
    String every = null;
    if (b.containsKey("every")) {
      every = rule(b);
      if (b.containsKey("start") || b.containsKey("end")) {
        errors.add("every: give start and end, or every, not both");
      }
    } else {
      start = instant(b, "start");
      end = instant(b, "end");
      interval(start, end, now);
    }
    if (!errors.isEmpty()) {
      throw new Problem(
          400,
          "invalid-maintenance-window",
          "Invalid maintenance window",
          String.join("; ", errors),
          new JsonObject().put("errors", new JsonArray(new ArrayList<>(errors))));
    }
    return new MeshMessage.Window(
        id != null ? id : generatedId(),
        title,
        description == null ? "" : description,
        targets,
        groups,
        start,
        end,
        every,
        failover,
        announce,
        now,
        false);
  }

  private void interval(Instant start, Instant end, Instant now) {
    if (start == null || end == null) {
      return;
    }
    if (!end.isAfter(start)) {
      errors.add("end: must be after start");
    } else if (!end.isAfter(now)) {
      errors.add("end: the window is entirely in the past");
    } else if (Duration.between(start, end).compareTo(MaintenanceCalendar.MAX_OCCURRENCE) > 0) {
      long days = MaintenanceCalendar.MAX_OCCURRENCE.toDays();
      errors.add("end: a window lasts at most " + days + " days");
    }
  }

  /**
   * A recurrence rule ({@code second tuesday 02:00-04:00 Europe/London}), or null after an error.
   */
  private String rule(JsonObject b) {
    String text = string(b, "every", Recurrences.MAX_TEXT, true);
    if (text == null) {
      return null;
    }
    try {
      Recurrences.parse(text);
      return text;
    } catch (InvalidRecurrenceException e) {
      errors.add("every: " + e.getMessage());
      return null;
    }
  }

  private static String generatedId() {
    byte[] b = new byte[6];
    ThreadLocalRandom.current().nextBytes(b);
    return "mw-" + HexFormat.of().formatHex(b);
  }

  private Set<String> knownTargets() {
    Set<String> s = new HashSet<>();
    config.targets().forEach(t -> s.add(t.id()));
    return s;
  }

  private Set<String> knownGroups() {
    Set<String> s = new HashSet<>();
    config.groups().forEach(g -> s.add(g.id()));
    config.targets().stream().map(Target::group).filter(g -> g != null).forEach(s::add);
    return s;
  }

  private String string(JsonObject b, String key, int max, boolean required) {
    Object v = b.getValue(key);
    if (v == null) {
      if (required) {
        errors.add(key + ": required");
      }
      return null;
    }
    if (!(v instanceof String s) || s.length() > max) {
      errors.add(key + ": must be a string of at most " + max + " characters");
      return null;
    }
    return s;
  }

  private List<String> ids(JsonObject b, String key, Set<String> known, String what) {
    Object v = b.getValue(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray a) || a.size() > MeshCodec.MAX_WINDOW_IDS) {
      errors.add(key + ": must be a list of at most " + MeshCodec.MAX_WINDOW_IDS + " ids");
      return out;
    }
    for (int i = 0; i < a.size(); i++) {
      Object item = a.getValue(i);
      if (!(item instanceof String s) || !known.contains(s)) {
        String shown = item instanceof String s ? Responses.clip(s) : String.valueOf(item);
        errors.add(key + "[" + i + "]: no " + what + " '" + Responses.clip(shown) + "'");
      } else if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  private String failover(JsonObject b) {
    Object v = b.getValue("failover");
    if (v == null) {
      return "ACT";
    }
    if (v instanceof String s && Set.of("act", "freeze").contains(s.toLowerCase(Locale.ROOT))) {
      return s.toUpperCase(Locale.ROOT);
    }
    errors.add("failover: must be act or freeze");
    return "ACT";
  }

  private boolean bool(JsonObject b, String key) {
    Object v = b.getValue(key);
    if (v == null || v instanceof Boolean) {
      return Boolean.TRUE.equals(v);
    }
    errors.add(key + ": must be true or false");
    return false;
  }

  private Instant instant(JsonObject b, String key) {
    Object v = b.getValue(key);
    if (v == null) {
      errors.add(key + ": required (an RFC 3339 time), or give every");
      return null;
    }
    if (v instanceof String s && s.length() <= 40) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    errors.add(key + ": must be an RFC 3339 time such as 2026-11-22T02:00:00Z");
    return null;
  }
}
