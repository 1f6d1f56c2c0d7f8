package io.quorate.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything the side-by-side run started, closed once in reverse order: from the main thread's
 * {@code finally} or from the shutdown hook (Ctrl-C), whichever comes first.
 */
final class Cleanup {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  synchronized <T extends AutoCloseable> T add(T c) {
    open.push(c);
    return c;
  }

  /** Closes all, newest first; a failure to close one does not stop the others. */
  synchronized void closeAll() {
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        System.err.println("cleanup: " + e);
      }
    }
  }
}
