package io.quorate.config;

/**
 * One configuration problem, located by its YAML path.
 *
 * @param file the file it is in
 * @param path YAML path such as {@code targets[3].timeoutMs} ({@code ""} for the whole file)
 * @param message what is wrong, e.g. {@code must be > 0}
 */
public record ConfigError(String file, String path, String message) {
  /** {@code targets[3].timeoutMs: must be > 0} (the file is printed by the caller). */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
