package io.quorate.slo;

import io.quorate.alert.AlertEvent;
import io.quorate.alert.AlertEvent.Severity;
import io.quorate.alert.AlertEvents;
import io.quorate.alert.EventIds;
import io.quorate.config.Objectives;
import io.quorate.store.Slo;
import io.quorate.store.Slo.BurnWindow;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The multiwindow, multi-burn-rate alert of the Google SRE workbook (ch. 5, "Alerting on SLOs"):
 * page when the 1 h and the 5 min burn rates are both at least {@value #PAGE_BURN} (2 % of a 30-day
 * budget in an hour), open a ticket when the 6 h and the 30 min rates are both at least {@value
 * #TICKET_BURN} (5 % in six hours). The short window makes the alert stop soon after the burning
 * does. Pure: one {@link Tracker} per SLO, fed each evaluation.
 */
public final class FastBurn {
  /** Burn rate that pages (1 h and 5 min windows). */
  public static final double PAGE_BURN = 14.4;

  /** Burn rate that opens a ticket (6 h and 30 min windows). */
  public static final double TICKET_BURN = 6.0;

  private FastBurn() {}

  /** How loud an SLO's burning is. */
  public enum Level {
    NONE,
    TICKET,
    PAGE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The level the rule gives {@code s}. */
  public static Level level(Slo.Status s) {
    if (atLeast(s.burn(BurnWindow.ONE_HOUR), PAGE_BURN)
        && atLeast(s.burn(BurnWindow.FIVE_MINUTES), PAGE_BURN)) {
      return Level.PAGE;
    }
    if (atLeast(s.burn(BurnWindow.SIX_HOURS), TICKET_BURN)
        && atLeast(s.burn(BurnWindow.THIRTY_MINUTES), TICKET_BURN)) {
      return Level.TICKET;
    }
    return Level.NONE;
  }

  private static boolean atLeast(Double burn, double threshold) {
    return burn != null && burn >= threshold;
  }

  /**
   * One SLO's alert state: raises when burning starts (and again on escalation from ticket to
   * page), and a recovery when neither condition holds any more. A drop from page to ticket raises
   * nothing (the problem goes on).
   */
  public static final class Tracker {
    private final Objectives.Slo slo;
    private final String group;
    private final String region;
    private Level level = Level.NONE;
    private Instant anchor;

    /**
     * @param group the SLO's group (its own, or its target's), or {@code null}
     * @param region this agent's region
     */
    public Tracker(Objectives.Slo slo, String group, String region) {
      this.slo = slo;
      this.group = group;
      this.region = region;
    }

    public Level level() {
      return level;
    }

    /** The event {@code s} calls for, if any; updates the state. */
    public Optional<AlertEvent> evaluate(Slo.Status s) {
      Level now = FastBurn.level(s);
      Level before = level;
      level = now;
      if (now == Level.NONE) {
        return before == Level.NONE ? Optional.empty() : Optional.of(event(Severity.INFO, s));
      }
      if (before == Level.NONE) {
        anchor = EventIds.window(s.lastDownStart() != null ? s.lastDownStart() : s.evaluatedAt());
      }
      if (now.ordinal() > before.ordinal()) {
        return Optional.of(event(now == Level.PAGE ? Severity.CRITICAL : Severity.WARNING, s));
      }
      return Optional.empty();
    }

    private AlertEvent event(Severity severity, Slo.Status s) {
      String subject = slo.target() != null ? slo.target() : slo.group();
      return AlertEvents.sloBurn(
          slo.id(), subject, group, severity, anchor, detail(s), s.evaluatedAt(), region);
    }

    private String detail(Slo.Status s) {
      StringBuilder b = new StringBuilder("burn");
      for (BurnWindow w : BurnWindow.values()) {
        Double r = s.burn(w);
        b.append(' ').append(w.label()).append('=').append(r == null ? "-" : fmt(r));
      }
      return b.append(", objective ")
          .append(slo.objectivePercent())
          .append(" % over ")
          .append(slo.windowDays())
          .append(" days, budget remaining ")
          .append(fmt(100 * s.remainingRatio()))
          .append(" %")
          .toString();
    }

    private static String fmt(double d) {
      return String.format(Locale.ROOT, "%.1f", d);
    }
  }
}
