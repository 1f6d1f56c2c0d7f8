package io.quorate.config;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The files an agent was started with, to read again on a live reload (ADR 0017).
 *
 * @param shared the shared file
 * @param region the region file
 * @param env environment lookup for {@code ${env:NAME}} secrets
 */
public record ConfigFiles(Path shared, Path region, Function<String, String> env) {
  /** Reads and validates both files again (blocking: call off the event loop). */
  public LoadedConfig load() throws ConfigException {
    return new ConfigLoader(env).load(shared, region);
  }
}
