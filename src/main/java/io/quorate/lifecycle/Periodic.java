package io.quorate.lifecycle;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One periodic task on one context, with a stop that is idempotent, safe before a start (a timer id
 * is only cancelled when this task set it: Vert.x ids start at 0) and final (a start after it sets
 * nothing). Start and stop hop onto the context, so they keep their order from any thread.
 */
public final class Periodic {
  private final Vertx vertx;
  private final Context ctx;
  private final long firstDelayMs;
  private final long periodMs;
  private final Runnable tick;
  private long timer = -1;
  private boolean stopped;

  /**
   * @param ctx the context the task (and {@code tick}) runs on
   * @param periodMs the first delay and the period
   */
  public Periodic(Vertx vertx, Context ctx, long periodMs, Runnable tick) {
    this(vertx, ctx, periodMs, periodMs, tick);
  }

  /**
   * @param firstDelayMs the delay before the first tick (at least 1)
   * @param periodMs the period after it
   */
  public Periodic(Vertx vertx, Context ctx, long firstDelayMs, long periodMs, Runnable tick) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.firstDelayMs = firstDelayMs;
    this.periodMs = periodMs;
    this.tick = tick;
  }

  /** Runs {@code first} (if any) and arms the timer, on the context; nothing once stopped. */
  public void start(Runnable first) {
    ctx.runOnContext(
        v -> {
          if (stopped || timer != -1) {
            return;
          }
          if (first != null) {
            first.run();
          }
          timer = vertx.setPeriodic(firstDelayMs, periodMs, id -> tick.run());
        });
  }

  /** Cancels the timer; completes on the context once it is cancelled. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    ctx.runOnContext(
        v -> {
          stopped = true;
          if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
          }
          done.complete();
        });
    return done.future();
  }

  /** Whether {@link #stop()} ran; read it on the context. */
  public boolean stopped() {
    return stopped;
  }
}
