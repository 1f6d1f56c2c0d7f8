package io.quorate.config;

import java.util.ArrayList;
import java.util.List;

/** The errors found in one file so far, in the order they were found. */
final class Errors {
  private final String file;
  private final List<ConfigError> list = new ArrayList<>();

  Errors(String file) {
    this.file = file;
  }

  void add(String path, String message) {
    list.add(new ConfigError(file, path, message));
  }

  /** A mark to compare against with {@link #since(int)}. */
  int count() {
    return list.size();
  }

  /** Whether any error was added after {@code mark}. */
  boolean since(int mark) {
    return list.size() > mark;
  }

  List<ConfigError> list() {
    return List.copyOf(list);
  }
}
