package io.quorate.probe;

import io.quorate.probe.tls.TlsVerifier;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;

/**
 * What every probe implementation is constructed with: {@code new DnsProbe(ctx)}. Probes create
 * their own clients from {@code vertx} once, in the constructor, and reuse them.
 *
 * @param vertx the Vert.x instance whose event loops the probe runs on
 * @param clock wall clock for {@code startedAt} and certificate expiry (tests inject a fixed one)
 * @param tls the shared TLS judgement
 */
public record ProbeContext(Vertx vertx, Clock clock, TlsVerifier tls) {
  public ProbeContext {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tls, "tls");
  }

  public static ProbeContext of(Vertx vertx) {
    Clock clock = Clock.systemUTC();
    return new ProbeContext(vertx, clock, new TlsVerifier(clock));
  }
}
