package io.quorate.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bodies a webhook channel sends, one per {@link io.quorate.config.Alerts.Format}. Each is
 * built once per event and is identical on every attempt, so the signature over it is stable and
 * consumers can drop duplicates by {@code id}.
 *
 * <p>{@code STANDARD}, version 1 (documented in the OpenAPI document's {@code webhooks} section):
 *
 * <pre>{@code
 * {"version":1,"id":"evt_…","type":"verdict.down","severity":"critical","subject":"web-2",
 *  "group":"web","summary":"web-2 DOWN in 3/3 regions — www.example.test",
 *  "details":{"votes":"3/3"},"occurredAt":"2026-11-21T10:15:30Z","region":"eu-west",
 *  "dedupKey":"target:web-2","resolution":false}
 * }</pre>
 */
public final class WebhookPayloads {
  /** The version of the STANDARD payload; a breaking change gets a new number. */
  public static final int VERSION = 1;

  static final int SLACK_MAX_DETAIL_FIELDS = 6; // Slack: at most 10 fields per section
  static final int SLACK_MAX_FIELD_CHARS = 500; // Slack: 2000 per field
  static final int PAGERDUTY_MAX_SUMMARY = 1024; // Events API v2 limit
  static final int PAGERDUTY_MAX_DEDUP_KEY = 255; // Events API v2 limit

  private WebhookPayloads() {}

  /** Quorate's versioned JSON. */
  public static JsonObject standard(AlertEvent e) {
    return new JsonObject()
        .put("version", VERSION)
        .put("id", e.id())
        .put("type", e.kind())
        .put("severity", e.severity().wireName())
        .put("subject", e.subject())
        .put("group", e.group())
        .put("summary", e.summary())
        .put("details", new JsonObject(new TreeMap<String, Object>(e.details())))
        .put("occurredAt", DateTimeFormatter.ISO_INSTANT.format(e.occurredAt()))
        .put("region", e.region())
        .put("dedupKey", e.dedupKey())
        .put("resolution", e.resolution());
  }

  /**
   * A Slack incoming-webhook message: {@code text} (the notification line) and {@code blocks} (a
   * headline, what/where fields, the event id). No links: Slack's control characters {@code & < >}
   * are escaped (Slack "Formatting text": escaping), so no {@code <url|…>} or {@code <!channel>}
   * can be injected through event text; unfurling is off.
   */
  public static JsonObject slack(AlertEvent e) {
    String headline = label(e) + " " + slackEscape(e.summary());
    JsonArray fields =
        new JsonArray()
            .add(field("What", e.kind()))
            .add(
                field(
                    "Where",
                    e.group() == null ? e.subject() : e.subject() + " (" + e.group() + ")"))
            .add(field("Region", e.region() == null ? "-" : e.region()))
            .add(field("When", DateTimeFormatter.ISO_INSTANT.format(e.occurredAt())));
    new TreeMap<>(e.details())
        .entrySet().stream()
            .limit(SLACK_MAX_DETAIL_FIELDS)
            .forEach(d -> fields.add(field(d.getKey(), d.getValue())));
    JsonArray blocks =
        new JsonArray()
            .add(section(new JsonObject().put("type", "mrkdwn").put("text", headline)))
            .add(new JsonObject().put("type", "section").put("fields", fields))
            .add(
                new JsonObject()
                    .put("type", "context")
                    .put(
                        "elements",
                        new JsonArray()
                            .add(mrkdwn("event " + slackEscape(e.id()) + " · quorate"))));
    return new JsonObject()
        .put("text", headline)
        .put("blocks", blocks)
        .put("unfurl_links", false)
        .put("unfurl_media", false);
  }

  /**
   * A PagerDuty Events API v2 event: {@code trigger} for a problem, {@code resolve} for the event
   * that ends it; both carry the event's {@code dedupKey} as {@code dedup_key}, so PagerDuty
   * resolves the incident the problem opened.
   */
  public static JsonObject pagerDuty(AlertEvent e, String routingKey) {
    String dedup = e.dedupKey() == null ? e.id() : e.dedupKey();
    JsonObject o =
        new JsonObject()
            .put("routing_key", routingKey)
            .put("event_action", e.resolution() ? "resolve" : "trigger")
            .put("dedup_key", truncate(dedup, PAGERDUTY_MAX_DEDUP_KEY));
    if (e.resolution()) {
      return o; // a resolve needs only routing_key, event_action and dedup_key
    }
    Map<String, Object> custom = new TreeMap<>(e.details());
    custom.put("eventId", e.id());
    custom.put("kind", e.kind());
    if (e.region() != null) {
      custom.put("region", e.region());
    }
    JsonObject payload =
        new JsonObject()
            .put("summary", truncate(e.summary(), PAGERDUTY_MAX_SUMMARY))
            .put("source", e.subject())
            .put("severity", e.severity().wireName()) // critical, warning, info: all valid
            .put("timestamp", DateTimeFormatter.ISO_INSTANT.format(e.occurredAt()))
            .put("component", e.subject())
            .put("class", e.kind())
            .put("custom_details", new JsonObject(custom));
    if (e.group() != null) {
      payload.put("group", e.group());
    }
    return o.put("payload", payload).put("client", "Quorate");
  }

  /** The severity as an emoji short code and a word (RESOLVED for a resolution). */
  static String label(AlertEvent e) {
    if (e.resolution()) {
      return ":large_green_circle: *RESOLVED*";
    }
    return switch (e.severity()) {
      case CRITICAL -> ":red_circle: *CRITICAL*";
      case WARNING -> ":large_orange_circle: *WARNING*";
      case INFO -> ":large_blue_circle: *INFO*";
    };
  }

  /** Slack mrkdwn escaping: the three control characters, and no line breaks in one-liners. */
  static String slackEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static JsonObject field(String name, String value) {
    return mrkdwn(
        "*" + slackEscape(name) + "*\n" + slackEscape(truncate(value, SLACK_MAX_FIELD_CHARS)));
  }

  private static JsonObject mrkdwn(String text) {
    return new JsonObject().put("type", "mrkdwn").put("text", text);
  }

  private static JsonObject section(JsonObject text) {
    return new JsonObject().put("type", "section").put("text", text);
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
