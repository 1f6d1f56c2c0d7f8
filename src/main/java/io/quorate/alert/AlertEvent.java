package io.quorate.alert;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something an operator must hear about: a verdict transition, a DNS change or failure, a region or
 * quorum lost or regained, a certificate expiring, config drift, clock skew.
 *
 * @param id stable id derived from what the event is about ({@link EventIds}), identical in every
 *     region for the same logical event, so consumers can drop duplicates; {@code evt_…}
 * @param kind what happened, e.g. {@code verdict.down}, {@code verdict.up}, {@code dns.applied},
 *     {@code dns.failed}, {@code dns.frozen}, {@code dns.fail-open}, {@code
 *     dns.propagation-timeout}, {@code region.lost}, {@code region.regained}, {@code quorum.lost},
 *     {@code quorum.regained}, {@code cert.expiring}, {@code config.drift}, {@code clock.skew},
 *     {@code slo.burn} (an SLO's error budget burning fast; its recovery is a resolution), or
 *     {@code digest} (a storm folded into one message)
 * @param severity how urgent
 * @param subject what it is about: a target id, pool id or region id
 * @param group the subject's group, or {@code null}
 * @param summary one line for humans, saying what and where (used as the email subject)
 * @param details further facts (votes, reasons, records…), flat strings
 * @param occurredAt when it happened (the verdict's time, the change's time)
 * @param region the region that raised it
 * @param dedupKey what a resolution resolves, e.g. {@code target:web-2} (PagerDuty dedup key): a
 *     problem and its recovery share it
 * @param resolution this event ends a problem (recovered, regained)
 */
public record AlertEvent(
    String id,
    String kind,
    Severity severity,
    String subject,
    String group,
    String summary,
    Map<String, String> details,
    Instant occurredAt,
    String region,
    String dedupKey,
    boolean resolution) {

  public AlertEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(occurredAt, "occurredAt");
    details = Map.copyOf(details);
  }

  /** How urgent an event is. */
  public enum Severity {
    CRITICAL,
    WARNING,
    INFO;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
