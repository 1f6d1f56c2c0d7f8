package io.quorate.testsupport;

import java.util.ArrayList;
import java.util.List;

/** What a test started, closed in reverse order (call {@link #close()} from {@code @AfterEach}). */
public final class Closers implements AutoCloseable {
  private final List<AutoCloseable> all = new ArrayList<>();

  /** Keeps {@code c} to close later; returns it. */
  public <T extends AutoCloseable> T keep(T c) {
    all.add(c);
    return c;
  }

  @Override
  public void close() throws Exception {
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).close();
    }
    all.clear();
  }
}
