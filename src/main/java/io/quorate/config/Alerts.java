package io.quorate.config;

import io.quorate.alert.AlertEvent;
import java.util.List;
import java.util.Locale;

/**
 * The shared file's {@code alerts:} block: where events go and when.
 *
 * @param channels webhook endpoints and email relays
 * @param rules which events go to which channels; an event matching no rule is kept in the outbox
 *     history only
 * @param retryForMs how long a delivery is retried before it is dead-lettered (default 24 h)
 * @param storm more events than this within its window are folded into one digest per channel
 */
public record Alerts(List<Channel> channels, List<Rule> rules, long retryForMs, Storm storm) {
  public static final long DEFAULT_RETRY_FOR_MS = 86_400_000L;
  public static final Alerts NONE =
      new Alerts(List.of(), List.of(), DEFAULT_RETRY_FOR_MS, Storm.DEFAULT);

  public Alerts {
    channels = List.copyOf(channels);
    rules = List.copyOf(rules);
  }

  /** A place events are delivered to. */
  public sealed interface Channel permits Webhook, Email {
    String id();
  }

  /** Webhook payload formats. */
  public enum Format {
    /** Quorate's versioned JSON, signed per the Standard Webhooks spec. */
    STANDARD,
    /** A Slack incoming-webhook message ({@code text} + blocks). */
    SLACK,
    /** PagerDuty Events API v2: trigger / resolve with {@code dedup_key}. */
    PAGERDUTY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A webhook endpoint.
   *
   * @param url {@code https://…} (or {@code http://} for a host in {@code allowHosts})
   * @param format payload format
   * @param secrets Standard Webhooks signing secrets ({@code whsec_} + base64); the first signs,
   *     all of them sign during a rotation (several {@code v1,} signatures); empty for Slack and
   *     PagerDuty
   * @param routingKey PagerDuty integration key, or {@code null}
   * @param connectTimeoutMs connect time limit
   * @param timeoutMs whole-request time limit (a hang past it is a retryable failure)
   * @param allowHosts hosts (names or literal IPs) that may resolve to loopback, private,
   *     link-local or metadata addresses (refused otherwise: SSRF)
   * @param caFile PEM CA bundle that verifies an https endpoint instead of the JVM's trust store (a
   *     private CA), or {@code null} for the JVM's
   */
  public record Webhook(
      String id,
      String url,
      Format format,
      List<Secret> secrets,
      Secret routingKey,
      long connectTimeoutMs,
      long timeoutMs,
      List<String> allowHosts,
      String caFile)
      implements Channel {
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_TIMEOUT_MS = 10_000;

    public Webhook {
      secrets = List.copyOf(secrets);
      allowHosts = List.copyOf(allowHosts);
    }
  }

  /**
   * Email through an SMTP relay.
   *
   * @param host relay host
   * @param port relay port (587 submission with STARTTLS, 465 implicit TLS, 25)
   * @param tls {@code STARTTLS} (required), {@code IMPLICIT}, or {@code NONE} (loopback relays
   *     only)
   * @param username login, or {@code null} for none
   * @param password login password, or {@code null}
   * @param caFile PEM CA bundle to verify the relay with, or {@code null} for the JVM's
   * @param from envelope and header sender
   * @param to recipients
   * @param timeoutMs whole-delivery time limit
   */
  public record Email(
      String id,
      String host,
      int port,
      TlsMode tls,
      String username,
      Secret password,
      String caFile,
      String from,
      List<String> to,
      long timeoutMs)
      implements Channel {
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    public Email {
      to = List.copyOf(to);
    }

    /** How the relay connection is protected. */
    public enum TlsMode {
      STARTTLS,
      IMPLICIT,
      NONE
    }
  }

  /**
   * Routes matching events to channels. Empty match lists match everything.
   *
   * @param kinds event kinds ({@code verdict.down}, …) or prefixes ending in {@code .*}
   * @param targets subjects (target, pool or region ids)
   * @param groups groups of the subject
   * @param minSeverity the least severe event that matches
   * @param channels channel ids
   * @param remindEveryMs while the problem lasts, repeat it this often (0 = never)
   * @param recovery also send the event that ends the problem
   */
  public record Rule(
      List<String> kinds,
      List<String> targets,
      List<String> groups,
      AlertEvent.Severity minSeverity,
      List<String> channels,
      long remindEveryMs,
      boolean recovery) {
    public Rule {
      kinds = List.copyOf(kinds);
      targets = List.copyOf(targets);
      groups = List.copyOf(groups);
      channels = List.copyOf(channels);
    }
  }

  /**
   * Storm limit: beyond {@code maxEvents} within {@code windowMs} per channel, events are folded
   * into one digest sent at the end of the window.
   */
  public record Storm(int maxEvents, long windowMs) {
    public static final Storm DEFAULT = new Storm(20, 60_000);
  }
}
