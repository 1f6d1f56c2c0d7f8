package io.quorate.probe;

import io.quorate.config.Target;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one probe attempt on an event loop and keeps the {@link Probe} contract when starting it
 * throws, or its future fails anyway: the result is then DOWN with {@link ErrorKind#INTERNAL},
 * never a thrown exception, a failed future or one that never completes.
 */
public final class ProbeGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeGuard.class);

  private ProbeGuard() {}

  /**
   * Runs {@code attempt} on an event loop of {@code ctx.vertx()}: inline when the caller is already
   * on one (so the attempt's callbacks stay on that thread), else on a context of that Vert.x.
   *
   * @param component the log key of the probe, e.g. {@code http-probe}
   */
  public static Future<ProbeResult> onEventLoop(
      ProbeContext ctx, Target target, String component, Supplier<Future<ProbeResult>> attempt) {
    Context current = Vertx.currentContext();
    if (current != null && current.owner() == ctx.vertx() && current.isEventLoopContext()) {
      return guarded(ctx, target, component, attempt);
    }
    Promise<ProbeResult> p = Promise.promise();
    ctx.vertx()
        .getOrCreateContext()
        .runOnContext(v -> guarded(ctx, target, component, attempt).onComplete(p));
    return p.future();
  }

  private static Future<ProbeResult> guarded(
      ProbeContext ctx, Target target, String component, Supplier<Future<ProbeResult>> attempt) {
    Future<ProbeResult> f;
    try {
      f = attempt.get();
    } catch (RuntimeException e) {
      return Future.succeededFuture(internal(ctx, target, component, e));
    }
    if (f == null) {
      return Future.succeededFuture(
          internal(ctx, target, component, new IllegalStateException("attempt returned null")));
    }
    // an attempt is built never to fail; if one does anyway, the contract still holds
    return f.recover(t -> Future.succeededFuture(internal(ctx, target, component, t)));
  }

  private static ProbeResult internal(
      ProbeContext ctx, Target target, String component, Throwable e) {
    LOG.warn("{} target={} internal-error={}", component, target.id(), e.toString());
    return ProbeResult.down(
        target.id(),
        ErrorKind.INTERNAL,
        "internal error: " + e.getMessage(),
        ctx.clock().instant(),
        Timings.total(0));
  }
}
