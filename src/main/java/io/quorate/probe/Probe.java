package io.quorate.probe;

import io.quorate.config.Target;
import io.vertx.core.Future;

/**
 * One protocol's prober. Implementations run on the Vert.x event loop and never block it.
 *
 * <p>Contract: the returned future <em>always succeeds</em>. Timeouts, refused connections,
 * protocol violations and failed assertions become a {@link ProbeResult} with an {@link ErrorKind};
 * the probe enforces {@link Target#timeoutMs()} itself and releases every socket it opened before
 * completing. The latency threshold ({@link Target#degradedAboveMs()}) is applied by the caller,
 * not the probe.
 */
public interface Probe {

  /** The probe type this implementation handles. */
  io.quorate.config.ProbeType type();

  /** Probes {@code target} once. Never fails; see the interface contract. */
  Future<ProbeResult> run(Target target);
}
