package io.quorate.probe.mail;

import io.quorate.probe.ErrorKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The one read a {@link LineSession} may have outstanding: its promise, the {@link
 * LineBuffer.Reader} that decides when it is satisfied, and its timer. On its deadline the reader
 * gets a last chance; if it still needs more, the read fails with TIMEOUT.
 */
final class PendingRead {
  private final Vertx vertx;
  private Promise<String> promise;
  private LineBuffer.Reader reader;
  private String waiting;
  private long timerId = -1;

  PendingRead(Vertx vertx) {
    this.vertx = vertx;
  }

  boolean active() {
    return promise != null;
  }

  /**
   * Waits for {@code r} at most {@code limitMs} (at least 1 ms); {@code waiting} says what for, in
   * a TIMEOUT's detail ("timed out waiting for the greeting after 1500 ms").
   */
  Future<String> start(LineBuffer.Reader r, long limitMs, String waiting) {
    promise = Promise.promise();
    reader = r;
    this.waiting = waiting;
    Future<String> f = promise.future();
    timerId = vertx.setTimer(Math.max(1, limitMs), id -> onTimeout());
    return f;
  }

  /** Asks the pending reader for its result; null when it needs more. */
  String take(boolean last) {
    return reader.take(last);
  }

  void complete(String result) {
    end().complete(result);
  }

  void fail(Throwable cause) {
    end().fail(cause);
  }

  /** Stops the timer; the read stays pending. */
  void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void onTimeout() {
    timerId = -1;
    if (promise == null) {
      return;
    }
    String result = reader.take(true);
    Promise<String> p = end();
    if (result != null) {
      p.complete(result);
    } else {
      p.fail(ProbeFailure.down(ErrorKind.TIMEOUT, "timed out " + waiting));
    }
  }

  private Promise<String> end() {
    cancelTimer();
    Promise<String> p = promise;
    promise = null;
    reader = null;
    return p;
  }
}
