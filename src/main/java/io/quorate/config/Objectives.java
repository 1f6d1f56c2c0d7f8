package io.quorate.config;

import io.quorate.store.Sla;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Contract terms (SLA) and service level objectives (SLOs) from the shared file's {@code sla:} and
 * {@code slos:} keys (docs/sla-slo.md).
 *
 * @param terms the default contract, or {@code null} when {@code sla.objective} is not set
 * @param groupTerms per-group contracts ({@code sla.groups.<id>}), already merged with the default
 * @param slos the objectives tracked with error budgets and burn rates, in file order
 */
public record Objectives(Sla.Terms terms, Map<String, Sla.Terms> groupTerms, List<Slo> slos) {
  /** Nothing configured: no contract unless a request names an objective; no SLOs. */
  public static final Objectives NONE = new Objectives(null, Map.of(), List.of());

  /** The default rolling window of an SLO. */
  public static final int DEFAULT_WINDOW_DAYS = 30;

  /** The longest rolling window (exact millisecond arithmetic stays within 2^53). */
  public static final int MAX_WINDOW_DAYS = 90;

  /** At most this many SLOs (each is evaluated every 30 s). */
  public static final int MAX_SLOS = 200;

  public Objectives {
    groupTerms = Map.copyOf(new LinkedHashMap<>(groupTerms));
    slos = List.copyOf(slos);
  }

  /**
   * Terms and where they came from.
   *
   * @param terms the contract
   * @param source {@code sla} (the default) or {@code sla.groups.<id>} (a group's own terms)
   */
  public record Applied(Sla.Terms terms, String source) {}

  /** The contract of {@code group} (may be {@code null}: a target without a group). */
  public Optional<Applied> termsFor(String group) {
    if (group != null && groupTerms.containsKey(group)) {
      return Optional.of(new Applied(groupTerms.get(group), "sla.groups." + group));
    }
    return terms == null ? Optional.empty() : Optional.of(new Applied(terms, "sla"));
  }

  /** The SLO with {@code id}. */
  public Optional<Slo> slo(String id) {
    return slos.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * One SLO: "good" is not DOWN, as for the SLA; UNKNOWN and MAINTENANCE time are not counted.
   *
   * @param id unique id (metric label {@code slo})
   * @param group the group measured (DOWN only while every member is), or {@code null}
   * @param target the target measured, or {@code null}; exactly one of group and target is set
   * @param objectivePercent e.g. 99.9, in (0, 100)
   * @param windowDays the rolling window, 1 to {@link #MAX_WINDOW_DAYS}
   */
  public record Slo(
      String id, String group, String target, double objectivePercent, int windowDays) {
    public Slo {
      Objects.requireNonNull(id, "id");
      if ((group == null) == (target == null)) {
        throw new IllegalArgumentException("exactly one of group and target");
      }
      if (!(objectivePercent > 0 && objectivePercent < 100)) {
        throw new IllegalArgumentException("objectivePercent must be in (0, 100)");
      }
      if (windowDays < 1 || windowDays > MAX_WINDOW_DAYS) {
        throw new IllegalArgumentException("windowDays must be in 1.." + MAX_WINDOW_DAYS);
      }
    }
  }
}
