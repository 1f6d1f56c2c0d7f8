package io.quorate.testsupport;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls a remote state (a child process, an agent's API in another namespace) until it satisfies a
 * condition, with a deadline. This is how lab tests wait for other processes; they never sleep to
 * synchronise their own code.
 */
public final class Poll {
  /** Time between two reads of the remote state. */
  public static final long PERIOD_MS = 200;

  private Poll() {}

  /** Thrown when the deadline passes; carries the last value or error seen. */
  public static final class TimeoutException extends AssertionError {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Reads {@code probe} every {@link #PERIOD_MS} until {@code done} holds, and returns that value.
   * A read that throws counts as "not yet" (the remote side may be restarting), except an {@link
   * Error} (e.g. an assertion), which ends the poll at once. Fails after {@code limit} with {@code
   * what} and the last value or error.
   */
  public static <T> T until(Duration limit, String what, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = null;
    RuntimeException lastError = null;
    int reads = 0;
    while (true) {
      reads++;
      try {
        last = probe.get();
        lastError = null;
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() >= deadline) {
        String seen = lastError != null ? "error " + lastError : "value " + last;
        throw new TimeoutException(
            "not within "
                + limit.toMillis()
                + " ms ("
                + reads
                + " reads): "
                + what
                + "; last "
                + seen,
            lastError);
      }
      NetnsCommands.pause(PERIOD_MS);
    }
  }

  /**
   * Reads {@code probe} every {@link #PERIOD_MS} for {@code window} and fails as soon as {@code
   * invariant} does not hold (a read that throws fails too). Returns the number of reads.
   */
  public static <T> int during(
      Duration window, String what, Supplier<T> probe, Predicate<T> invariant) {
    long end = System.nanoTime() + window.toNanos();
    int reads = 0;
    while (System.nanoTime() < end) {
      T v = probe.get();
      reads++;
      if (!invariant.test(v)) {
        throw new AssertionError("violated after " + reads + " reads: " + what + "; saw " + v);
      }
      NetnsCommands.pause(PERIOD_MS);
    }
    return reads;
  }
}
