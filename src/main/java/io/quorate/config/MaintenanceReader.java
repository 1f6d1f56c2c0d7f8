package io.quorate.config;

import io.quorate.maintenance.InvalidRecurrenceException;
import io.quorate.maintenance.MaintenanceCalendar;
import io.quorate.maintenance.Recurrences;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the shared file's {@code maintenance:} list: one-off windows ({@code start}/{@code end})
 * and recurring ones ({@code every}, optionally bounded by {@code from}/{@code until}). See
 * docs/maintenance.md.
 */
final class MaintenanceReader {
  static final int MAX_WINDOWS = 1000;
  static final int MAX_TITLE = 200;
  static final int MAX_DESCRIPTION = 2000;
  private static final Set<String> KEYS =
      Set.of(
          "id",
          "title",
          "description",
          "targets",
          "groups",
          "start",
          "end",
          "every",
          "from",
          "until",
          "failover",
          "announce");

  private final Set<String> targets;
  private final Set<String> groups;

  MaintenanceReader(Set<String> targets, Set<String> groups) {
    this.targets = Set.copyOf(targets);
    this.groups = Set.copyOf(groups);
  }

  List<MaintenanceWindow> read(YamlNode node) {
    List<YamlNode> items = node.items();
    if (items == null) {
      return List.of();
    }
    if (items.size() > MAX_WINDOWS) {
      node.error("at most " + MAX_WINDOWS + " windows");
      return List.of();
    }
    Map<String, String> ids = new HashMap<>();
    List<MaintenanceWindow> out = new ArrayList<>();
    for (YamlNode item : items) {
      MaintenanceWindow w = window(item, ids);
      if (w != null) {
        out.add(w);
      }
    }
    return out;
  }

  private MaintenanceWindow window(YamlNode w, Map<String, String> ids) {
    int mark = w.errors().count();
    if (!w.mapping(KEYS)) {
      return null;
    }
    String id = Names.id(w.get("id"), "maintenance window", ids);
    String title = text(w.get("title"), MAX_TITLE, false);
    String description = text(w.get("description"), MAX_DESCRIPTION, true);
    int beforeLists = w.errors().count();
    List<String> t = known(w.get("targets"), targets, "target");
    List<String> g = known(w.get("groups"), groups, "group");
    if (t.isEmpty() && g.isEmpty() && !w.errors().since(beforeLists)) {
      w.error("needs targets or groups (at least one non-empty list)");
    }
    Instant[] once = null;
    MaintenanceWindow.Recurrence rule = null;
    boolean oneOff = w.get("start").present() || w.get("end").present();
    if (oneOff && w.get("every").present()) {
      w.get("every").error("use either start and end (one-off) or every (recurring), not both");
    } else if (oneOff) {
      once = oneOff(w);
    } else if (w.get("every").present()) {
      rule = recurrence(w);
    } else {
      w.error("needs start and end (one-off) or every (recurring)");
    }
    if (!w.get("every").present()) {
      onlyWithEvery(w.get("from"));
      onlyWithEvery(w.get("until"));
    }
    MaintenanceWindow.FailoverMode failover = failover(w.get("failover"));
    Boolean announce = w.get("announce").bool(true);
    if (w.errors().since(mark)) {
      return null;
    }
    Instant start = once == null ? null : once[0];
    Instant end = once == null ? null : once[1];
    return new MaintenanceWindow(
        id, title, description, t, g, start, end, rule, failover, announce);
  }

  /** {@code start} and {@code end}, both required; {@code null} after an error. */
  private static Instant[] oneOff(YamlNode w) {
    YamlNode endNode = w.get("end");
    Instant start = instant(w.get("start"));
    Instant end = instant(endNode);
    if (start == null || end == null) {
      return null;
    }
    if (!end.isAfter(start)) {
      endNode.error("must be after start");
      return null;
    }
    Duration max = MaintenanceCalendar.MAX_OCCURRENCE;
    if (Duration.between(start, end).compareTo(max) > 0) {
      endNode.error("must be at most " + max.toDays() + " days after start");
      return null;
    }
    return new Instant[] {start, end};
  }

  private static Instant instant(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      node.error("must be an ISO-8601 date-time with offset, e.g. 2030-03-01T02:00:00Z");
      return null;
    }
  }

  private static MaintenanceWindow.Recurrence recurrence(YamlNode w) {
    YamlNode every = w.get("every");
    String text = every.nonEmptyString();
    MaintenanceWindow.Recurrence r = null;
    try {
      r = text == null ? null : Recurrences.parse(text);
    } catch (InvalidRecurrenceException e) {
      every.error(e.getMessage());
    }
    LocalDate from = date(w.get("from"));
    LocalDate until = date(w.get("until"));
    if (from != null && until != null && until.isBefore(from)) {
      w.get("until").error("must not be before from (" + from + ")");
      return null;
    }
    if (r == null) {
      return null;
    }
    return new MaintenanceWindow.Recurrence(
        r.frequency(),
        r.days(),
        r.nth(),
        r.weekday(),
        r.from(),
        r.to(),
        r.zone(),
        from,
        until,
        r.text());
  }

  private static LocalDate date(YamlNode node) {
    String s = node.nonEmptyString();
    if (s == null) {
      return null;
    }
    try {
      if (s.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
        return LocalDate.parse(s);
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    node.error("must be a date YYYY-MM-DD");
    return null;
  }

  private static void onlyWithEvery(YamlNode node) {
    if (node.present()) {
      node.error("only with every (a recurring window)");
    }
  }

  private static MaintenanceWindow.FailoverMode failover(YamlNode node) {
    String s = node.nonEmptyString();
    if (s == null) {
      return node.present() ? null : MaintenanceWindow.FailoverMode.ACT;
    }
    return switch (s) {
      case "act" -> MaintenanceWindow.FailoverMode.ACT;
      case "freeze" -> MaintenanceWindow.FailoverMode.FREEZE;
      default -> {
        node.error("must be one of [act, freeze]");
        yield null;
      }
    };
  }

  /** Text shown to people: bounded, no control characters (newlines only in descriptions). */
  private static String text(YamlNode node, int max, boolean multiLine) {
    // the one-line title is required, the multi-line description optional
    String s = multiLine ? node.string() : node.requiredString();
    if (s == null) {
      return null;
    }
    if (s.length() > max) {
      node.error("must be at most " + max + " characters");
      return null;
    }
    if (s.chars().anyMatch(c -> Character.isISOControl(c) && !(multiLine && c == '\n'))) {
      node.error(
          multiLine
              ? "must not contain control characters other than newlines"
              : "must not contain control characters");
      return null;
    }
    return s;
  }

  private static List<String> known(YamlNode node, Set<String> known, String what) {
    List<String> out = new ArrayList<>();
    for (YamlNode n : node.itemsOrEmpty()) {
      String s = n.requiredString();
      if (s != null && !known.contains(s)) {
        n.error("unknown " + what + " \"" + s + "\"");
      } else if (s != null && out.contains(s)) {
        n.error("duplicate " + what + " \"" + s + "\"");
      } else if (s != null) {
        out.add(s);
      }
    }
    return out;
  }
}
