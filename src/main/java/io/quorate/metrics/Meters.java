package io.quorate.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** Removal of the meters of something a live reload removed (ADR 0017). */
public final class Meters {
  private Meters() {}

  /**
   * Removes every meter of {@code region} tagged {@code key=value} (e.g. {@code target=web-1},
   * every outcome and error kind of it); returns how many.
   */
  public static int removeTagged(MeterRegistry registry, String region, String key, String value) {
    List<Meter> gone =
        registry.getMeters().stream()
            .filter(m -> value.equals(m.getId().getTag(key)))
            .filter(m -> region.equals(m.getId().getTag("region")))
            .toList();
    gone.forEach(registry::remove);
    return gone.size();
  }
}
