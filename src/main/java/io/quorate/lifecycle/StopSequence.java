package io.quorate.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs named shutdown phases one after the other under one overall deadline (ADR 0016). A phase
 * that fails is logged and the next one runs; a phase still running at the deadline is abandoned
 * (logged; its work may go on in the background) and every later phase is still started, without
 * waiting for it, so resources such as the database are always asked to close. The result never
 * fails. One line is logged per phase: {@code agent stop phase=<name> outcome=<ok|failed|abandoned>
 * ms=<n>}.
 */
public final class StopSequence {
  private static final Logger LOG = LoggerFactory.getLogger(StopSequence.class);

  /** How a phase ended. */
  public enum Outcome {
    OK,
    FAILED,
    ABANDONED
  }

  /**
   * One phase's result.
   *
   * @param phase its name
   * @param outcome how it ended
   * @param ms how long it took (until the deadline when abandoned)
   * @param detail the failure's message, or "" when none
   */
  public record Result(String phase, Outcome outcome, long ms, String detail) {}

  private record Phase(String name, Supplier<Future<?>> action) {}

  private final Vertx vertx;
  private final String who;
  private final List<Phase> phases = new ArrayList<>();

  /**
   * @param vertx for the deadline timer
   * @param who what stops, for the log lines (e.g. {@code region=eu-west})
   */
  public StopSequence(Vertx vertx, String who) {
    this.vertx = vertx;
    this.who = who;
  }

  /**
   * Adds a phase; {@code action} runs when the previous phase is over (or abandoned) and may return
   * {@code null} when it has nothing to wait for.
   */
  public StopSequence then(String name, Supplier<Future<?>> action) {
    phases.add(new Phase(name, action));
    return this;
  }

  /** Runs every phase within {@code limit}; completes with one result per phase, never fails. */
  public Future<List<Result>> run(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    return next(0, deadline, new ArrayList<>());
  }

  private Future<List<Result>> next(int i, long deadline, List<Result> done) {
    if (i == phases.size()) {
      return Future.succeededFuture(List.copyOf(done));
    }
    Phase p = phases.get(i);
    return bounded(p, deadline)
        .compose(
            r -> {
              LOG.info(
                  "agent stop {} phase={} outcome={} ms={}{}",
                  who,
                  r.phase(),
                  r.outcome().name().toLowerCase(java.util.Locale.ROOT),
                  r.ms(),
                  r.detail().isEmpty() ? "" : " detail=\"" + r.detail() + "\"");
              done.add(r);
              return next(i + 1, deadline, done);
            });
  }

  /** The phase's result, or ABANDONED when the deadline comes first (at once when it passed). */
  private Future<Result> bounded(Phase p, long deadline) {
    long t0 = System.nanoTime();
    Promise<Result> out = Promise.promise();
    Future<?> f;
    try {
      f = p.action().get();
      f = f == null ? Future.succeededFuture() : f;
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    long leftMs = Math.max(0, (deadline - t0) / 1_000_000);
    long timer =
        f.isComplete()
            ? -1
            : vertx.setTimer(
                Math.max(1, leftMs),
                id ->
                    out.tryComplete(
                        new Result(p.name(), Outcome.ABANDONED, ms(t0), "deadline reached")));
    f.onComplete(
        ar -> {
          if (timer != -1) {
            vertx.cancelTimer(timer);
          }
          out.tryComplete(
              ar.succeeded()
                  ? new Result(p.name(), Outcome.OK, ms(t0), "")
                  : new Result(p.name(), Outcome.FAILED, ms(t0), message(ar.cause())));
        });
    return out.future();
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static String message(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('"', '\'');
  }
}
