package io.quorate.config;

import java.util.List;
import java.util.Set;

/** Reads the shared file's {@code maintenance:} list. */
final class MaintenanceReader {
  private final Set<String> targets;
  private final Set<String> groups;

  MaintenanceReader(Set<String> targets, Set<String> groups) {
    this.targets = Set.copyOf(targets);
    this.groups = Set.copyOf(groups);
  }

  List<MaintenanceWindow> read(YamlNode node) {
    if (node.present()) {
      node.error("maintenance windows are not supported yet");
    }
    return List.of();
  }
}
