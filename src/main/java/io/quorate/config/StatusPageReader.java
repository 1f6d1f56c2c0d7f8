package io.quorate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the shared file's {@code statusPage:} key: {@code title}, {@code public}, {@code members}
 * (target id to display name) and {@code hidden} (target ids). Every error names its YAML path.
 */
final class StatusPageReader {
  private static final Set<String> KEYS = Set.of("title", "public", "members", "hidden");

  private final Set<String> targets;

  /** With no target ids known, every {@code members} and {@code hidden} id is an error. */
  StatusPageReader() {
    this(Set.of());
  }

  StatusPageReader(Set<String> targets) {
    this.targets = Set.copyOf(targets);
  }

  StatusPage read(YamlNode node) {
    if (!node.mapping(KEYS)) {
      return StatusPage.DEFAULT;
    }
    String title = text(node.get("title"));
    Boolean publicMode = node.get("public").bool(false);
    Map<String, String> members = new LinkedHashMap<>();
    List<Map.Entry<String, YamlNode>> entries = node.get("members").entries();
    for (Map.Entry<String, YamlNode> e :
        entries == null ? List.<Map.Entry<String, YamlNode>>of() : entries) {
      String name = text(e.getValue());
      if (!targets.contains(e.getKey())) {
        e.getValue().error("no target with id '" + e.getKey() + "'");
      } else if (name != null) {
        members.put(e.getKey(), name);
      }
    }
    return new StatusPage(
        title == null ? StatusPage.DEFAULT_TITLE : title,
        Boolean.TRUE.equals(publicMode),
        members,
        hidden(node.get("hidden")));
  }

  private List<String> hidden(YamlNode node) {
    Set<String> out = new LinkedHashSet<>();
    for (YamlNode item : node.itemsOrEmpty()) {
      String id = item.nonEmptyString();
      if (id == null) {
        continue;
      }
      if (!targets.contains(id)) {
        item.error("no target with id '" + id + "'");
      } else if (!out.add(id)) {
        item.error("duplicate target '" + id + "'");
      }
    }
    return new ArrayList<>(out);
  }

  /** A shown text: non-empty, at most {@link StatusPage#MAX_NAME_CHARS}, no control characters. */
  private static String text(YamlNode node) {
    String s = node.nonEmptyString();
    if (s == null) {
      return null;
    }
    if (s.length() > StatusPage.MAX_NAME_CHARS) {
      node.error("at most " + StatusPage.MAX_NAME_CHARS + " characters");
      return null;
    }
    if (s.chars().anyMatch(Character::isISOControl)) {
      node.error("must not contain control characters");
      return null;
    }
    return s;
  }
}
