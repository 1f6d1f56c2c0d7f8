package io.quorate.alert;

import io.quorate.alert.AlertEvent.Severity;
import io.quorate.quorum.Status;
import io.quorate.quorum.Verdict;
import io.quorate.quorum.VerdictChange;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds {@link AlertEvent}s from what the agent observes. Pure functions. */
public final class AlertEvents {
  private AlertEvents() {}

  /**
   * A verdict transition: DOWN (critical), DEGRADED (warning), or UP again after DOWN or DEGRADED
   * (a resolution). Transitions from or to UNKNOWN raise nothing (not knowing is not news; losing
   * quorum has its own event).
   */
  public static Optional<AlertEvent> verdict(VerdictChange c, String group, String region) {
    Verdict v = c.after();
    Status before = c.before() == null ? Status.UNKNOWN : c.before().state();
    String kind;
    Severity severity;
    boolean resolution = false;
    switch (v.state()) {
      case DOWN -> {
        kind = "verdict.down";
        severity = Severity.CRITICAL;
      }
      case DEGRADED -> {
        kind = "verdict.degraded";
        severity = Severity.WARNING;
      }
      case UP -> {
        if (before != Status.DOWN && before != Status.DEGRADED) {
          return Optional.empty();
        }
        kind = "verdict.up";
        severity = Severity.INFO;
        resolution = true;
      }
      default -> {
        return Optional.empty();
      }
    }
    Instant anchor = anchor(v);
    long agree =
        v.votes().stream().filter(x -> x.counts() && x.vote().status() == v.state()).count();
    long counting = v.votes().stream().filter(Verdict.VoteView::counts).count();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("from", before.name());
    details.put("to", v.state().name());
    details.put("votes", agree + " of " + counting + " counting regions");
    for (Verdict.VoteView vv : v.votes()) {
      if (vv.vote() != null) {
        details.put(
            "region." + vv.region(),
            vv.vote().status()
                + (vv.vote().errorKind() == null
                    ? ""
                    : " (" + vv.vote().errorKind().wireName() + ")")
                + (vv.counts() ? "" : " [not counted]"));
      }
    }
    String why = reason(v);
    String summary =
        "["
            + severity.name()
            + "] "
            + v.targetId()
            + " "
            + v.state()
            + " in "
            + agree
            + "/"
            + counting
            + " regions"
            + (why.isEmpty() ? "" : " (" + why + ")")
            + (group == null ? "" : " — " + group);
    return Optional.of(
        new AlertEvent(
            EventIds.of(kind, v.targetId(), anchor),
            kind,
            severity,
            v.targetId(),
            group,
            summary,
            details,
            v.since() == null ? anchor : v.since(),
            region,
            "target:" + v.targetId(),
            resolution));
  }

  /** The earliest {@code since} among counting votes agreeing with the verdict. */
  static Instant anchor(Verdict v) {
    Instant best = null;
    for (Verdict.VoteView vv : v.votes()) {
      if (vv.counts() && vv.vote().status() == v.state() && vv.vote().since() != null) {
        Instant s = vv.vote().since();
        best = best == null || s.isBefore(best) ? s : best;
      }
    }
    if (best != null) {
      return best;
    }
    return v.since() == null ? Instant.EPOCH : EventIds.window(v.since());
  }

  private static String reason(Verdict v) {
    for (Verdict.VoteView vv : v.votes()) {
      if (vv.counts() && vv.vote().status() == v.state() && vv.vote().errorKind() != null) {
        return vv.vote().errorKind().wireName();
      }
    }
    return "";
  }

  /**
   * A failover event as the executor publishes it ({@code pool.changed}, {@code pool.fail-open},
   * {@code pool.frozen}, {@code pool.error}, {@code pool.propagation-timeout}).
   */
  public static Optional<AlertEvent> pool(
      String poolKind, Map<String, Object> data, Instant at, String region) {
    String pool = String.valueOf(data.get("pool"));
    String kind;
    Severity severity;
    String what;
    switch (poolKind) {
      case "pool.changed" -> {
        kind = "dns.applied";
        severity = Severity.WARNING;
        what = "DNS changed: " + data.get("from") + " → " + data.get("to");
      }
      case "pool.fail-open" -> {
        kind = "dns.fail-open";
        severity = Severity.CRITICAL;
        what = "fails open: no member is healthy, every primary stays published";
      }
      case "pool.frozen" -> {
        kind = "dns.frozen";
        severity = Severity.CRITICAL;
        what = "frozen after flapping: no DNS change until an operator resumes it";
      }
      case "pool.error" -> {
        kind = "dns.failed";
        severity = Severity.CRITICAL;
        what = "failover cannot be applied: " + data.get("kind") + " " + data.get("detail");
      }
      case "pool.propagation-timeout" -> {
        kind = "dns.propagation-timeout";
        severity = Severity.WARNING;
        what = "not every authoritative server serves the change: " + data.get("servers");
      }
      default -> {
        return Optional.empty();
      }
    }
    Map<String, String> details = new LinkedHashMap<>();
    data.forEach((k, v) -> details.put(k, String.valueOf(v)));
    String subjectKey = pool + (kind.equals("dns.applied") ? "|" + data.get("to") : "");
    return Optional.of(
        new AlertEvent(
            EventIds.of(kind, subjectKey, EventIds.window(at)),
            kind,
            severity,
            pool,
            null,
            "[" + severity.name() + "] pool " + pool + " " + what,
            details,
            at,
            region,
            "pool:" + pool + ":" + kind,
            false));
  }

  /** This agent lost or regained quorum (raised by the agent about itself). */
  public static AlertEvent quorum(boolean quorate, String self, Instant at) {
    String kind = quorate ? "quorum.regained" : "quorum.lost";
    Severity severity = quorate ? Severity.INFO : Severity.CRITICAL;
    String summary =
        quorate
            ? "[INFO] region " + self + " is quorate again: it may act"
            : "[CRITICAL] region " + self + " lost quorum: it is cut off and acts on nothing";
    return new AlertEvent(
        EventIds.of(kind, self, EventIds.window(at)),
        kind,
        severity,
        self,
        null,
        summary,
        Map.of(),
        at,
        self,
        "quorum:" + self,
        quorate);
  }

  /** A peer region stopped (or resumed) sending valid mesh messages. */
  public static AlertEvent region(boolean live, String peer, String self, Instant at) {
    String kind = live ? "region.regained" : "region.lost";
    Severity severity = live ? Severity.INFO : Severity.WARNING;
    return new AlertEvent(
        EventIds.of(kind, peer, EventIds.window(at)),
        kind,
        severity,
        peer,
        null,
        "["
            + severity.name()
            + "] region "
            + peer
            + (live ? " is back in the mesh" : " is not heard in the mesh"),
        Map.of("seenBy", self),
        at,
        self,
        "region:" + peer,
        live);
  }

  /** A certificate expires within {@code threshold} days (raised once per threshold). */
  public static AlertEvent certExpiring(
      String target, String group, int threshold, Instant notAfter, String region, Instant at) {
    Severity severity = threshold <= 7 ? Severity.CRITICAL : Severity.WARNING;
    return new AlertEvent(
        EventIds.of("cert.expiring", target + "|" + threshold, notAfter),
        "cert.expiring",
        severity,
        target,
        group,
        "["
            + severity.name()
            + "] "
            + target
            + ": certificate expires within "
            + threshold
            + " days ("
            + notAfter
            + ")",
        Map.of("notAfter", notAfter.toString(), "thresholdDays", String.valueOf(threshold)),
        at,
        region,
        "cert:" + target,
        false);
  }

  /** A peer's shared config hash differs from ours, or its clock is beyond maxSkew. */
  public static AlertEvent peerProblem(
      String kind, String peer, String detail, String self, Instant at) {
    return new AlertEvent(
        EventIds.of(kind, peer + "|" + self, EventIds.window(at)),
        kind,
        Severity.WARNING,
        peer,
        null,
        "[WARNING] region " + peer + ": " + detail + " (seen by " + self + ")",
        Map.of("seenBy", self, "detail", detail),
        at,
        self,
        kind + ":" + peer,
        false);
  }

  /**
   * An SLO burns its error budget fast (multiwindow rule, Google SRE workbook ch. 5): {@code
   * CRITICAL} pages, {@code WARNING} opens a ticket, {@code INFO} is the recovery. The id derives
   * from the SLO, the severity and the anchor (the start of the DOWN run that set it off, which
   * every region reads from the same verdicts), so regions raise the same id.
   *
   * @param slo the SLO id
   * @param subject the SLO's target or group
   * @param group the group, or {@code null}
   * @param detail burn rates and objective, for humans
   */
  public static AlertEvent sloBurn(
      String slo,
      String subject,
      String group,
      Severity severity,
      Instant anchor,
      String detail,
      Instant at,
      String region) {
    boolean recovery = severity == Severity.INFO;
    String what =
        recovery
            ? " no longer burns its error budget fast"
            : severity == Severity.CRITICAL
                ? " burns its error budget fast (page)"
                : " burns its error budget (ticket)";
    return new AlertEvent(
        EventIds.of("slo.burn", slo + "|" + (recovery ? "recovered" : severity.wireName()), anchor),
        "slo.burn",
        severity,
        subject,
        group,
        "[" + severity.name() + "] SLO " + slo + what + ": " + detail,
        Map.of("slo", slo, "detail", detail, "anchor", anchor.toString()),
        at,
        region,
        "slo:" + slo,
        recovery);
  }
}
