package io.quorate.maintenance;

import io.quorate.config.MaintenanceWindow;
import java.time.Instant;
import java.util.Set;

/**
 * One concrete occurrence of a maintenance window, {@code start <= t < end}.
 *
 * @param window the window it belongs to
 * @param start first instant inside
 * @param end first instant after
 * @param targets every covered target id (groups expanded)
 * @param fromConfig defined in the shared config (else created through the API)
 */
public record Occurrence(
    MaintenanceWindow window, Instant start, Instant end, Set<String> targets, boolean fromConfig) {
  public Occurrence {
    targets = Set.copyOf(targets);
  }

  /** True when {@code t} is inside. */
  public boolean covers(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }
}
