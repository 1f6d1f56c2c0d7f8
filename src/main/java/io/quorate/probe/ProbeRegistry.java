package io.quorate.probe;

import io.quorate.config.ProbeType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The probe implementation for each {@link ProbeType}. Immutable. */
public final class ProbeRegistry {
  private final Map<ProbeType, Probe> probes;

  public ProbeRegistry(List<Probe> implementations) {
    Map<ProbeType, Probe> m = new EnumMap<>(ProbeType.class);
    for (Probe p : implementations) {
      if (m.put(p.type(), p) != null) {
        throw new IllegalArgumentException("two probes for type " + p.type());
      }
    }
    this.probes = Map.copyOf(m);
  }

  public Optional<Probe> forType(ProbeType type) {
    return Optional.ofNullable(probes.get(type));
  }
}
