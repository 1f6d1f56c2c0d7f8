package io.quorate.probe;

/**
 * Phase timings of one probe in milliseconds; a phase that did not happen is {@code null}. Each
 * value is the duration of that phase alone, except {@code totalMs} which covers the whole probe.
 *
 * @param connectMs TCP connect (or, for UDP, nothing)
 * @param tlsMs TLS handshake, implicit or after STARTTLS
 * @param firstByteMs from the request (or connect, for banner protocols) to the first response byte
 * @param totalMs the whole probe
 */
public record Timings(Double connectMs, Double tlsMs, Double firstByteMs, double totalMs) {

  public static Timings total(double totalMs) {
    return new Timings(null, null, null, totalMs);
  }

  /** Milliseconds between two {@link System#nanoTime()} readings. */
  public static double millisBetween(long startNanos, long endNanos) {
    return (endNanos - startNanos) / 1_000_000.0;
  }
}
