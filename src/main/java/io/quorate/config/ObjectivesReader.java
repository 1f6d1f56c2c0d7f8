package io.quorate.config;

import java.util.Set;

/** Reads the shared file's {@code sla:} and {@code slos:} keys. */
final class ObjectivesReader {
  private final Set<String> groups;
  private final Set<String> targets;

  ObjectivesReader(Set<String> targets, Set<String> groups) {
    this.targets = Set.copyOf(targets);
    this.groups = Set.copyOf(groups);
  }

  Objectives read(YamlNode sla, YamlNode slos) {
    if (sla.present()) {
      sla.error("not supported yet");
    }
    if (slos.present()) {
      slos.error("not supported yet");
    }
    return Objectives.NONE;
  }
}
