package io.quorate.alert;

import io.netty.util.NetUtil;
import io.quorate.config.Alerts;
import io.quorate.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Delivers events to one webhook endpoint ({@link Alerts.Webhook}) as a JSON POST in the configured
 * {@link Alerts.Format}: Quorate's versioned payload signed per the Standard Webhooks spec, a Slack
 * incoming-webhook message, or a PagerDuty Events API v2 event.
 *
 * <p>Each attempt resolves the host through the {@link SsrfGuard} and connects to exactly the
 * checked address, presenting the URL's host as Host header, SNI and certificate name. Redirects
 * are never followed. The outcome ({@link #classify}): 2xx DELIVERED; 410 GONE; 408, 429 and 5xx
 * RETRY with {@code Retry-After}; 3xx and other 4xx FAILED; timeouts and transport errors RETRY
 * with status -1. The response body is read up to {@link #MAX_BODY_BYTES} and then dropped.
 */
public final class WebhookSender implements ChannelSender {
  /** Response bytes read at most; the rest is not read (the connection is closed). */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  static final String USER_AGENT = "Quorate-Webhook/1";

  private final Vertx vertx;
  private final Alerts.Webhook config;
  private final HttpClientAgent client;
  private final SsrfGuard guard;
  private final ClientSSLOptions ssl;
  private final Clock clock;
  private final Target target;

  /** The URL split into what one attempt needs, or why it cannot be used. */
  record Target(boolean https, String host, int port, String pathAndQuery, String error) {}

  /** A sender trusting the JVM's CA store, on the system clock. */
  public WebhookSender(Vertx vertx, Alerts.Webhook config) {
    this(vertx, config, null, Clock.systemUTC());
  }

  /**
   * @param trust the CAs to verify https endpoints with, or {@code null} for the JVM's
   * @param clock for {@code webhook-timestamp} and HTTP-date {@code Retry-After} values
   */
  public WebhookSender(Vertx vertx, Alerts.Webhook config, TrustOptions trust, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.guard = new SsrfGuard(vertx, config.allowHosts());
    this.target = parse(config.url());
    this.ssl = new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS");
    if (trust != null) {
      ssl.setTrustOptions(trust);
    }
    HttpClientOptions options =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setKeepAlive(false)
            .setUseAlpn(false)
            // the JDK sends no SNI for dotless names such as "localhost"; an IP literal is never
            // sent as SNI (RFC 6066 §3)
            .setForceSni(target.error() == null && !isIpLiteral(target.host()))
            .setDecompressionSupported(false);
    this.client = vertx.httpClientBuilder().with(options).build();
  }

  @Override
  public String channelId() {
    return config.id();
  }

  @Override
  public Future<DeliveryResult> send(AlertEvent event, int attempt) {
    if (target.error() != null) {
      return Future.succeededFuture(DeliveryResult.failed(-1, target.error()));
    }
    Buffer body;
    String signature;
    long timestamp = clock.instant().getEpochSecond();
    try {
      body = Buffer.buffer(body(event).encode());
      signature = sign(event, timestamp, body);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(DeliveryResult.failed(-1, e.getMessage()));
    }
    WebhookAttempt.Request req =
        new WebhookAttempt.Request(target, body, event.id(), timestamp, signature);
    return new WebhookAttempt(vertx, client, guard, ssl, config, clock).run(req);
  }

  /** Closes the HTTP client (on shutdown). */
  public Future<Void> close() {
    return client.close();
  }

  private io.vertx.core.json.JsonObject body(AlertEvent event) {
    return switch (config.format()) {
      case STANDARD -> WebhookPayloads.standard(event);
      case SLACK -> WebhookPayloads.slack(event);
      case PAGERDUTY -> {
        Secret key = config.routingKey();
        if (key == null || key.reveal().isBlank()) {
          throw new IllegalArgumentException("pagerduty channel has no routingKey");
        }
        yield WebhookPayloads.pagerDuty(event, key.reveal());
      }
    };
  }

  /** The Standard Webhooks signature header, or {@code null} (Slack, PagerDuty, no secrets). */
  private String sign(AlertEvent event, long timestamp, Buffer body) {
    List<Secret> secrets = config.secrets();
    if (config.format() != Alerts.Format.STANDARD || secrets.isEmpty()) {
      return null;
    }
    return WebhookSignature.header(secrets, event.id(), timestamp, body.getBytes());
  }

  /**
   * The outcome of a response with {@code status}: see the class comment. {@code location} and
   * {@code retryAfter} are the response's headers (or {@code null}).
   */
  public static DeliveryResult classify(
      int status, String location, String retryAfter, java.time.Instant now) {
    if (status >= 200 && status < 300) {
      return DeliveryResult.delivered(status);
    }
    if (status >= 300 && status < 400) {
      String to = location == null ? "(no Location)" : WebhookPayloads.truncate(location, 200);
      return DeliveryResult.failed(status, "HTTP " + status + ": redirect to " + to + " refused");
    }
    if (status == 410) {
      return DeliveryResult.gone("HTTP 410: endpoint gone");
    }
    if (status == 408 || status == 429 || status >= 500) {
      return DeliveryResult.retry(status, RetryAfter.parseMs(retryAfter, now), "HTTP " + status);
    }
    return DeliveryResult.failed(status, "HTTP " + status);
  }

  static Target parse(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      return bad("webhook url is not a valid URI");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return bad("webhook url scheme must be http or https, not '" + scheme + "'");
    }
    if (u.getHost() == null || u.getRawUserInfo() != null) {
      return bad("webhook url needs a host and no user info");
    }
    boolean https = scheme.equals("https");
    int port = u.getPort() > 0 ? u.getPort() : (https ? 443 : 80);
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    if (u.getRawQuery() != null) {
      path += "?" + u.getRawQuery();
    }
    return new Target(https, u.getHost(), port, path, null);
  }

  private static boolean isIpLiteral(String host) {
    String h = SsrfGuard.normalise(host);
    return NetUtil.isValidIpV4Address(h) || NetUtil.isValidIpV6Address(h);
  }

  private static Target bad(String why) {
    return new Target(false, null, 0, null, why);
  }
}
