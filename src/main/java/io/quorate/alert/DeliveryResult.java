package io.quorate.alert;

/**
 * The outcome of one delivery attempt of one event to one channel.
 *
 * @param outcome what the outbox should do next
 * @param status the HTTP status or SMTP reply code, or -1 without one (transport failure)
 * @param retryAfterMs the server's {@code Retry-After}, in ms from now, or -1 when absent
 * @param detail a short human reason (never a secret)
 */
public record DeliveryResult(Outcome outcome, int status, long retryAfterMs, String detail) {

  /** What happened, grouped by what the outbox does about it. */
  public enum Outcome {
    /** Accepted (2xx, SMTP 250): done. */
    DELIVERED,
    /** Try again later with backoff (5xx, 429, timeouts, refused, 4xx SMTP). */
    RETRY,
    /** 410 Gone: the endpoint is retired; disable the channel and raise an event. */
    GONE,
    /** Will never succeed as is (other 4xx, a redirect, an address refused by the SSRF guard). */
    FAILED
  }

  public static DeliveryResult delivered(int status) {
    return new DeliveryResult(Outcome.DELIVERED, status, -1, "ok");
  }

  public static DeliveryResult retry(int status, long retryAfterMs, String detail) {
    return new DeliveryResult(Outcome.RETRY, status, retryAfterMs, detail);
  }

  public static DeliveryResult failed(int status, String detail) {
    return new DeliveryResult(Outcome.FAILED, status, -1, detail);
  }

  public static DeliveryResult gone(String detail) {
    return new DeliveryResult(Outcome.GONE, 410, -1, detail);
  }
}
