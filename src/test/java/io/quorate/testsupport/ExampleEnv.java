package io.quorate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The variables of {@code conf/example.env}, so tests prove the README's example runs. */
public final class ExampleEnv {
  private ExampleEnv() {}

  /** {@code conf/example.env} plus {@code extra} (extra wins). */
  public static Map<String, String> with(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("conf/example.env"))) {
        String l = line.trim();
        if (!l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
          env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.putAll(extra);
    return Map.copyOf(env);
  }
}
