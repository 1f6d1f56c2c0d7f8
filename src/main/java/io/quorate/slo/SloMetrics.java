package io.quorate.slo;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quorate.config.ConfigDiff;
import io.quorate.config.Objectives;
import io.quorate.metrics.Meters;
import io.quorate.store.Slo;
import java.util.function.ToDoubleFunction;

/**
 * SLO gauges read from {@link SloService}'s latest views at scrape time: {@code
 * quorate_slo_error_budget_remaining_ratio{slo}}, {@code quorate_slo_burn_rate{slo,window}} (1h,
 * 6h, 3d) and {@code quorate_slo_objective_ratio{slo}}, each also labelled with this agent's {@code
 * region}. Not yet evaluated, or nothing counted in a window: NaN.
 */
public final class SloMetrics {
  /** The burn windows exported (the 5 min and 30 min ones only gate the alert). */
  static final Slo.BurnWindow[] EXPORTED = {
    Slo.BurnWindow.ONE_HOUR, Slo.BurnWindow.SIX_HOURS, Slo.BurnWindow.THREE_DAYS
  };

  private SloMetrics() {}

  /** Registers every SLO's gauges on {@code registry}. */
  public static void register(MeterRegistry registry, String region, SloService service) {
    for (SloService.View v : service.views()) {
      register(registry, region, service, v.slo());
    }
  }

  /**
   * After a live reload (ADR 0017, {@code service} already reconfigured): the gauges of removed and
   * changed SLOs leave the registry (so {@code /metrics} no longer shows them), those of added and
   * changed ones are registered from the service's current definitions.
   */
  public static void reconfigure(
      MeterRegistry registry, String region, SloService service, ConfigDiff.Changes slos) {
    slos.removed().forEach(id -> Meters.removeTagged(registry, region, "slo", id));
    slos.changed().forEach(id -> Meters.removeTagged(registry, region, "slo", id));
    for (String id : slos.restarted()) {
      service.view(id).ifPresent(v -> register(registry, region, service, v.slo()));
    }
  }

  private static void register(
      MeterRegistry registry, String region, SloService service, Objectives.Slo slo) {
    gauge(
            "quorate.slo.error.budget.remaining.ratio",
            service,
            slo,
            region,
            null,
            s -> s.remainingRatio())
        .description("Share of the SLO's error budget left in its rolling window (< 0: overspent)")
        .register(registry);
    Gauge.builder(
            "quorate.slo.objective.ratio",
            () -> Math.round(slo.objectivePercent() * 10_000) / 1_000_000.0)
        .description("The SLO's objective as a ratio, e.g. 0.999")
        .tags("region", region, "slo", slo.id())
        .register(registry);
    for (Slo.BurnWindow w : EXPORTED) {
      gauge("quorate.slo.burn.rate", service, slo, region, w, s -> burn(s, w))
          .description(
              "Error budget burn rate over the window (1: spent exactly in the SLO window)")
          .register(registry);
    }
  }

  private static Gauge.Builder<SloService> gauge(
      String name,
      SloService service,
      Objectives.Slo slo,
      String region,
      Slo.BurnWindow window,
      ToDoubleFunction<Slo.Status> value) {
    Gauge.Builder<SloService> b =
        Gauge.builder(
                name,
                service,
                svc ->
                    svc.view(slo.id())
                        .map(SloService.View::status)
                        .map(value::applyAsDouble)
                        .orElse(Double.NaN))
            .tags("region", region, "slo", slo.id());
    return window == null ? b : b.tag("window", window.label());
  }

  private static double burn(Slo.Status s, Slo.BurnWindow w) {
    Double r = s.burn(w);
    return r == null ? Double.NaN : r;
  }
}
