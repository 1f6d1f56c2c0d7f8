package io.quorate.store;

import io.quorate.probe.ProbeResult;
import io.quorate.quorum.Observation;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this agent's own observations go in the store (ADR 0015): every one into the minute
 * accumulator, the failing ones into {@link FailedObservations}. {@link #flush} (every few seconds)
 * writes each closed minute in its own transaction, oldest first, then the failing observations. A
 * minute whose write fails is retried at the next flush (at most {@value #MAX_RETRY_MINUTES}
 * minutes are held; older ones are dropped and logged). Flushes never overlap.
 */
public final class ObservationRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(ObservationRecorder.class);

  static final int MAX_RETRY_MINUTES = 60;

  private final Clock clock;
  private final MinuteAccumulator minutes;
  private final Rollups rollups;
  private final FailedObservations failed;
  private final Deque<MinuteAccumulator.Minute> unwritten = new ArrayDeque<>();
  private boolean flushing;

  /** The last flush started (its outcome does not matter to the next one). */
  private Future<Integer> running = Future.succeededFuture(0);

  public ObservationRecorder(
      Clock clock, MinuteAccumulator minutes, Rollups rollups, FailedObservations failed) {
    this.clock = clock;
    this.minutes = minutes;
    this.rollups = rollups;
    this.failed = failed;
  }

  /** Counts one of this agent's observations (cheap; no store work). */
  public void accept(Observation o) {
    ProbeResult r = o.result();
    minutes.add(r.targetId(), r.outcome(), r.timings().totalMs(), clock.instant());
    failed.accept(o);
  }

  /**
   * Writes every closed minute and the queued failing observations; succeeds with the number of
   * minutes written (0 when a flush is already running).
   */
  public Future<Integer> flush() {
    return flush(clock.instant());
  }

  /**
   * The last flush at a graceful stop (ADR 0016): the open minute too (a later write of the same
   * minute after the restart adds to it), after a flush already running. Succeeds with the number
   * of minutes written by this call.
   */
  public Future<Integer> flushAll() {
    Future<Integer> before;
    synchronized (this) {
      before = running;
    }
    return before.transform(x -> flush(clock.instant().plusMillis(MinuteAccumulator.MINUTE_MS)));
  }

  private Future<Integer> flush(java.time.Instant closeBefore) {
    synchronized (this) {
      if (flushing) {
        return Future.succeededFuture(0);
      }
      flushing = true;
      List<MinuteAccumulator.Minute> closed = minutes.closed(closeBefore);
      unwritten.addAll(closed);
      while (unwritten.size() > MAX_RETRY_MINUTES) {
        MinuteAccumulator.Minute lost = unwritten.pollFirst();
        LOG.warn("rollups minute-dropped minute={} targets={}", lost.start(), lost.cells().size());
      }
    }
    Future<Integer> f =
        writeMinutes(0)
            .compose(n -> failed.flush().map(x -> n))
            .eventually(
                () -> {
                  synchronized (this) {
                    flushing = false;
                  }
                  return Future.succeededFuture();
                });
    synchronized (this) {
      running = f;
    }
    return f;
  }

  private Future<Integer> writeMinutes(int done) {
    MinuteAccumulator.Minute next;
    synchronized (this) {
      next = unwritten.peekFirst();
    }
    if (next == null) {
      return Future.succeededFuture(done);
    }
    return rollups
        .flush(next)
        .compose(
            n -> {
              synchronized (this) {
                unwritten.remove(next);
              }
              return writeMinutes(done + 1);
            });
  }
}
