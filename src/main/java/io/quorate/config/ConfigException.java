package io.quorate.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid; carries <em>every</em> error found, each with its YAML path. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(e -> e.file() + ": " + e).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
