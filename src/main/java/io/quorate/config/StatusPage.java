package io.quorate.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The status page's settings, from the shared file's {@code statusPage:} key.
 *
 * @param title the page heading and document title
 * @param publicMode {@code public: true}: {@code /} and {@code /status.json} need no token and show
 *     only names, states, durations, uptime bars, incidents and announced maintenance
 * @param members display names by target id (a target without one is shown by its id)
 * @param hidden target ids left off the page in both modes (e.g. reference checks)
 */
public record StatusPage(
    String title, boolean publicMode, Map<String, String> members, List<String> hidden) {
  /** The heading when none is configured. */
  public static final String DEFAULT_TITLE = "Service status";

  /** Longest title or display name. */
  public static final int MAX_NAME_CHARS = 100;

  /** Nothing configured: the built-in defaults (token mode). */
  public static final StatusPage DEFAULT =
      new StatusPage(DEFAULT_TITLE, false, Map.of(), List.of());

  public StatusPage {
    Objects.requireNonNull(title, "title");
    members = Map.copyOf(members);
    hidden = List.copyOf(hidden);
  }

  /** The name {@code targetId} is shown by. */
  public String displayName(String targetId) {
    return members.getOrDefault(targetId, targetId);
  }
}
